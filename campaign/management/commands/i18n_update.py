from django.core.management import call_command
from django.core.management.base import BaseCommand

from campaign.i18n import CHINESE, catalogue_lock, compile_all, fill, load_json, untranslated

# What makemessages must not read: installed packages, data, vendored assets.
IGNORED = [".venv/*", "var/*", "staticfiles/*", "static/vendor/*", "node_modules/*", "bench/*", "media/*"]


class Command(BaseCommand):
    help = (
        "Re-extract every translatable string into locale/zh_Hans (needs GNU gettext), optionally fill "
        "translations from a JSON file {msgid: 中文}, and compile. Holds a lock so concurrent runs do not "
        "overwrite each other."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fill", help="JSON file mapping English msgids to Simplified Chinese.")
        parser.add_argument("--overwrite", action="store_true", help="Replace existing translations too.")
        parser.add_argument("--no-extract", action="store_true", help="Only fill and compile.")

    def handle(self, *args, fill=None, overwrite=False, no_extract=False, **options):
        with catalogue_lock():
            if not no_extract:
                call_command(
                    "makemessages",
                    locale=[CHINESE],
                    no_location=True,
                    no_obsolete=True,
                    ignore_patterns=IGNORED,
                    verbosity=0,
                )
            if fill:
                changed = fill_from(fill, overwrite)
                self.stdout.write(f"filled {changed} entries")
            compile_all()
        missing = untranslated()
        self.stdout.write(f"{len(missing)} untranslated entries")
        for msgid in missing[:50]:
            self.stdout.write(f"  {msgid!r}")


def fill_from(path: str, overwrite: bool) -> int:
    return fill(load_json(path), overwrite=overwrite)
