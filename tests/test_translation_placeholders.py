"""A Chinese translation must carry exactly the placeholders of its English msgid.

A translation borrowed from a similar msgid (a fuzzy guess) usually shows itself here: "%(n)s items" translated
without %(n)s shows no number, and one with a stray %(title)s crashes the page with a KeyError. Untranslated
entries are left to tests/test_translations.py.
"""

import re

import polib

from campaign.i18n import po_path

NAMED = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%(?!\()[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")
BRACES = re.compile(r"\{[^{}]*\}")


def _without_escaped_percent(text: str) -> str:
    return text.replace("%%", "")


def python_placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Named placeholders as a set (their order may change in Chinese), positional ones in order."""
    text = _without_escaped_percent(text)
    return frozenset(NAMED.findall(text)), tuple(POSITIONAL.findall(text))


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [text for text in entry.msgstr_plural.values() if text]
    return [entry.msgstr] if entry.msgstr else []


def expected_python(entry: polib.POEntry) -> tuple[frozenset[str], tuple[str, ...]]:
    named, positional = python_placeholders(entry.msgid)
    if entry.msgid_plural:
        # Chinese has one plural form: it stands in for the plural msgid, which carries the count.
        plural_named, plural_positional = python_placeholders(entry.msgid_plural)
        named |= plural_named
        positional = max(positional, plural_positional, key=len)
    return named, positional


def catalogue() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(po_path())) if not entry.obsolete and "fuzzy" not in entry.flags]


def describe(entry: polib.POEntry, text: str) -> str:
    context = f" [{entry.msgctxt}]" if entry.msgctxt else ""
    return f"{entry.msgid!r}{context} → {text!r}"


def test_python_format_translations_keep_exactly_the_placeholders_of_the_msgid():
    wrong = []
    for entry in catalogue():
        if "python-format" not in entry.flags:
            continue
        want = expected_python(entry)
        for text in translations(entry):
            got = python_placeholders(text)
            if got != want:
                wrong.append(
                    f"{describe(entry, text)}: expected {sorted(want[0])}{list(want[1])}, "
                    f"found {sorted(got[0])}{list(got[1])}"
                )
    assert not wrong, f"{len(wrong)} translations with wrong placeholders:\n" + "\n".join(wrong)


def test_python_format_translations_can_be_formatted():
    """A lone "%" (instead of "%%") breaks `gettext(...) % {...}` at run time."""
    broken = []
    for entry in catalogue():
        if "python-format" not in entry.flags:
            continue
        named, positional = expected_python(entry)
        for text in translations(entry):
            try:
                if named:
                    text % {name: 1 for name in named}
                elif positional:
                    text % tuple(1 for _ in positional)
            except (TypeError, ValueError, KeyError) as error:
                broken.append(f"{describe(entry, text)}: {error}")
    assert not broken, f"{len(broken)} translations that cannot be formatted:\n" + "\n".join(broken)


def test_brace_format_translations_keep_exactly_the_placeholders_of_the_msgid():
    """Strings filled with str.format / format_html ("Login {} created.") keep their {} fields in order."""
    wrong = []
    for entry in catalogue():
        want = BRACES.findall(entry.msgid)
        if not want:
            continue
        for text in translations(entry):
            got = BRACES.findall(text)
            if sorted(got) != sorted(want) or ("{}" in want and got != want):
                wrong.append(f"{describe(entry, text)}: expected {want}, found {got}")
    assert not wrong, f"{len(wrong)} translations with wrong {{}} fields:\n" + "\n".join(wrong)


def test_the_placeholder_check_catches_a_borrowed_translation():
    """The check itself: a translation guessed from a similar msgid is caught, a faithful one is not."""
    entry = polib.POEntry(msgid="%(n)s overdue pledges", msgstr="%(count)s 项承诺逾期", flags=["python-format"])
    assert python_placeholders(entry.msgstr) != expected_python(entry)
    entry.msgstr = "%(n)s 项承诺逾期"
    assert python_placeholders(entry.msgstr) == expected_python(entry)
    assert python_placeholders("进度 %(after)s%%") == python_placeholders("Progress: %(after)s%%")
