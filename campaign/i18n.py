"""Translation catalogue upkeep: compile without GNU gettext, and extract + fill under a lock.

Message ids are English; locale/zh_Hans holds the Simplified Chinese (the default language).
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polib
from django.conf import settings

CHINESE = "zh_Hans"


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def po_path(language: str = CHINESE, domain: str = "django") -> Path:
    return locale_dir() / language / "LC_MESSAGES" / f"{domain}.po"


@contextmanager
def catalogue_lock() -> Iterator[None]:
    """Several people (or agents) may update the catalogue at once; one at a time writes it."""
    locale_dir().mkdir(parents=True, exist_ok=True)
    with open(locale_dir() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def compile_all() -> list[Path]:
    """Write a .mo beside every .po under the locale folder (pure Python: no msgfmt needed)."""
    written = []
    for po_file in sorted(locale_dir().glob("*/LC_MESSAGES/*.po")):
        mo_file = po_file.with_suffix(".mo")
        if mo_file.exists() and mo_file.stat().st_mtime >= po_file.stat().st_mtime:
            continue
        polib.pofile(str(po_file)).save_as_mofile(str(mo_file))
        written.append(mo_file)
    return written


def fill(translations: dict[str, str], *, language: str = CHINESE, overwrite: bool = False) -> int:
    """Set msgstr for the given msgids (plural entries take the same text for every form)."""
    catalogue = polib.pofile(str(po_path(language)))
    changed = 0
    for entry in catalogue:
        if entry.msgid not in translations:
            continue
        text = translations[entry.msgid]
        # A fuzzy entry holds makemessages' guess from a similar msgid, usually wrong: replace it.
        replace = overwrite or "fuzzy" in entry.flags
        if entry.msgid_plural:
            if replace or not any(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: text}
                changed += 1
        elif replace or not entry.msgstr:
            entry.msgstr = text
            changed += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            changed += 1
    catalogue.save()
    return changed


def untranslated(language: str = CHINESE) -> list[str]:
    """Message ids with no translation, or only a fuzzy one."""
    path = po_path(language)
    if not path.exists():
        return [f"<no catalogue at {path}>"]
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    missing += [entry.msgid for entry in catalogue.fuzzy_entries()]
    return missing


def load_json(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
