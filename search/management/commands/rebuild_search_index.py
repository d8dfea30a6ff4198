import time

from django.core.management.base import BaseCommand

from search import index


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every registered model (essays, people, works) from scratch."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        last = {}

        def progress(label, done, total):
            # One line per batch is plenty; a 10,000-essay rebuild prints 50.
            if last.get(label) != done:
                self.stdout.write(f"{label}: {done}/{total}")
                last[label] = done

        index.rebuild(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Search index rebuilt in {time.monotonic() - started:.1f} s.")
        )
