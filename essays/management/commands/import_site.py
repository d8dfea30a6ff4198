import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from essays.exchange import ArchiveError, MediaError, import_site


class Command(BaseCommand):
    help = (
        "Load a zip file written by export_site into this database (docs/EXPORT.md). "
        "The database must be empty, unless --replace is given. All or nothing: "
        "a bad archive leaves the database as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The zip file export_site wrote.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the site's content (and its feedback, if the archive has some) "
            "before loading the archive. Media files of the same name are overwritten; "
            "others are kept.",
        )

    def handle(self, *args, archive, replace=False, **options):
        stream = options.get("stderr") or sys.stderr
        quiet = options["verbosity"] == 0

        def progress(description, total):
            return tqdm(desc=description, total=total, file=stream, disable=quiet, unit="")

        try:
            report = import_site(archive, replace=replace, progress=progress)
        except ArchiveError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        except MediaError as error:
            # After the commit: the records are in, and the message says what is not.
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Nothing was imported. {archive}: {error.strerror}") from None
        if not quiet:
            self.stdout.write(self.style.SUCCESS(f"Imported {archive}:"))
            for line in report.lines():
                self.stdout.write(line)
