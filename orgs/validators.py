"""Input checks shared by forms, services and the roster import."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(raw) -> str:
    """A mainland mobile number as 11 digits ("" stays ""), or ValidationError.

    Accepts spaces, dashes, a +86/0086 prefix, and numbers that a spreadsheet turned into floats.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    phone = re.sub(r"[\s\-()]", "", str(raw))
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix):
            phone = phone[len(prefix) :]
    if phone == "":
        return ""
    if not MOBILE_RE.match(phone):
        raise ValidationError(
            _("“%(phone)s” is not a mobile number. Enter the 11 digits, e.g. 13812345678.") % {"phone": raw},
            code="bad_phone",
        )
    return phone
