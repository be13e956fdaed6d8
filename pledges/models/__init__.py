from .pledge import Pledge
from .progress import Evidence, ProgressUpdate
from .rating import Rating
from .review import Review

__all__ = ["Evidence", "Pledge", "ProgressUpdate", "Rating", "Review"]
