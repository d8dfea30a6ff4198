import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from essays.mentions import matcher, rescan
from essays.models import Essay, Mention

BATCH_SIZE = 200


class Command(BaseCommand):
    help = (
        "Scan every essay again for the people and works it names, keeping editors' "
        "decisions, and link the accepted mentions. Saving a person or work does this "
        "by itself for the essays concerned; run this after bulk changes or an upgrade."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, quiet=False, **options):
        essays = Essay.objects.select_related("section").order_by("pk")
        total = essays.count()
        matcher(fresh=True)  # names may have changed behind the cache's back
        with tqdm(total=total, unit="essay", file=sys.stderr, disable=quiet) as bar:
            rescan(essays.iterator(chunk_size=BATCH_SIZE), progress=lambda essay: bar.update())
        accepted = Mention.objects.accepted().count()
        waiting = Mention.objects.to_review().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rescanned {total} essays: {accepted} mentions linked or listed, "
                f"{waiting} waiting for review."
            )
        )
