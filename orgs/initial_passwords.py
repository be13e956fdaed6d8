"""One-time initial passwords: generated, kept encrypted for the printed sheet, then forgotten.

Passwords are 8 characters from an alphabet without look-alikes (no 0/o, 1/l/i), easy to type on
a phone for an elderly member, and strong enough with the slow password hash and the login throttle.
The copy kept for the sheet is encrypted with Fernet under a key derived from SECRET_KEY, so a
database dump alone does not reveal it; it lives at most INITIAL_PASSWORD_DAYS days.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.utils import timezone

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
LENGTH = 8
# How long an unprinted initial password is kept for the sheet.
INITIAL_PASSWORD_DAYS = 14


def generate_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def make_hash(password: str) -> str:
    """The login's hash of a one-time password, at a tenth of PBKDF2's usual cost (at least 100,000 rounds).

    A generated password has ~40 bits of entropy, far more than the human-chosen passwords the full
    cost is set for, and it lives only until the first login, where Django re-hashes it at full cost
    and the person must replace it anyway. The cheaper hash is what lets a 1,500-member roster import
    finish in about a minute instead of ten.
    """
    from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password

    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=max(hasher.iterations // 10, 100_000))
    return make_password(password)


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"orgs.initial-password:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(password: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(password.encode()).decode()


def decrypt(token: str) -> str | None:
    """The password, or None when it cannot be read (the secret key changed since)."""
    for key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        try:
            return _fernet(key).decrypt(token.encode()).decode()
        except InvalidToken:
            continue
    return None


def expiry_cutoff():
    return timezone.now() - timedelta(days=INITIAL_PASSWORD_DAYS)
