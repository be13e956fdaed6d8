from django.core.management.base import BaseCommand

from campaign.i18n import compile_all


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (pure Python; GNU gettext not needed)."

    def handle(self, *args, **options):
        written = compile_all()
        self.stdout.write(f"compiled {len(written)} catalogue(s)")
