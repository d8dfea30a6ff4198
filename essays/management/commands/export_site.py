import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from essays.exchange import export_site


class Command(BaseCommand):
    help = (
        "Write the whole site into one zip file: sections, essays, tags, people, works, "
        "mentions, redirects and the media files, as JSON keyed by slug (docs/EXPORT.md). "
        "import_site reads it back, on this database or another."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The zip file to write, such as site.zip.")
        parser.add_argument(
            "--with-feedback",
            action="store_true",
            help="Include readers' feedback messages and the blocked words. They hold "
            "readers' names and email addresses: keep such a file private.",
        )

    def handle(self, *args, archive, with_feedback=False, **options):
        out = Path(archive)
        if not out.parent.is_dir():
            raise CommandError(f"There is no folder {str(out.parent)!r} to write into.")
        stream = options.get("stderr") or sys.stderr
        quiet = options["verbosity"] == 0

        def progress(description, total):
            return tqdm(desc=description, total=total, file=stream, disable=quiet, unit="")

        # Written beside the target and renamed at the end, so that a failed
        # export never leaves a half-written file under the name asked for.
        partial = out.with_name(f".{out.name}.partial")
        try:
            report = export_site(partial, with_feedback=with_feedback, progress=progress)
            os.replace(partial, out)
        except OSError as error:
            raise CommandError(f"Could not write {str(out)!r}: {error}") from None
        finally:
            partial.unlink(missing_ok=True)
        if not quiet:
            self.stdout.write(f"Exported to {out}:")
            for line in report.lines():
                self.stdout.write(line)
