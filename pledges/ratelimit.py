"""A small fixed-window rate limiter on Django's cache.

Why not django-ratelimit: it is unmaintained, and its system check refuses the local-memory cache
that the embedded demo uses. Two cache calls do the job on any backend: `cache.add` starts a window
(atomic: only the first caller of a window succeeds) and `cache.incr` counts within it (atomic on
Redis; on local memory it is guarded by the backend's lock). The window expires by itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def hit(key: str, limit: Limit) -> bool:
    """Count one attempt for `key`; True while the window's attempts stay within `limit.count`."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=limit.seconds):
        return 1 <= limit.count
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # the window expired between add() and incr(): start a new one
        cache.add(cache_key, 1, timeout=limit.seconds)
        attempts = 1
    return attempts <= limit.count


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies, the address they appended."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ip_hash(ip: str) -> str:
    """A keyed hash of an address: enough to limit and audit, without storing the address itself."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


def rating_limit() -> Limit:
    return Limit(
        count=int(getattr(settings, "RATING_LIMIT_PER_IP", 30)),
        seconds=int(getattr(settings, "RATING_LIMIT_WINDOW", 3600)),
    )
