from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sergesite.redirects_csv import import_lines

# Long files say how far they have got this often (in lines).
PROGRESS_EVERY = 500


class Command(BaseCommand):
    help = (
        "Store permanent redirects from a CSV file of old,new addresses, one pair a line "
        "(an optional first line 'old,new' is skipped, as are blank lines and lines "
        "starting with #). Old addresses may be full URLs of the old site; new ones must "
        "be pages of this site. Bad lines are reported and skipped; the rest are stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file (UTF-8).")

    def handle(self, *, file, verbosity, **options):
        try:
            lines = file.read_text(encoding="utf-8-sig").splitlines()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text: {error.reason}.") from None
        total = len(lines)
        progress = {"shown": 0}

        def on_line(line):
            if line.outcome == "bad":
                self.stdout.write(self.style.ERROR(str(line)))
            elif line.outcome != "unchanged" or verbosity > 1:
                self.stdout.write(str(line))
            if total > PROGRESS_EVERY and line.number - progress["shown"] >= PROGRESS_EVERY:
                progress["shown"] = line.number
                self.stderr.write(f"{line.number} of {total} lines read")

        report = import_lines(lines, on_line=on_line)
        style = self.style.WARNING if report.bad else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
