from django.core.management.base import BaseCommand

from search import unanswered


class Command(BaseCommand):
    help = (
        "Write the tally of searches that found nothing from the cache to the report "
        "(the site also does it every few minutes and whenever an editor opens the report)."
    )

    def handle(self, *args, **options):
        written = unanswered.flush()
        self.stdout.write(f"{written} search(es) written to the report.")
