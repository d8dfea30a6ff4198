import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date
from tqdm import tqdm

from essays.importing.batch import ImportOptions, run_import
from essays.importing.parsed import ImportFailure
from essays.importing.parsed import parse_date as parse_moment
from essays.importing.report import FAILED, SKIPPED, UNCHANGED, summary_line
from essays.models import Essay, Section


class Command(BaseCommand):
    help = (
        "Import essays from an old site: HTML pages, plain text saved from a browser, or "
        "Markdown with YAML front matter. PATH is a file, a folder (walked recursively) or a "
        "zip. Each essay remembers where it came from, so running the same import again "
        "changes nothing; --update replaces essays whose files have changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--section",
            help="Slug of the section for new files that name none, in their front matter or "
            "by a top folder with a section's slug. Essays imported before stay in theirs.",
        )
        parser.add_argument(
            "--status",
            choices=[choice for choice, _ in Essay.Status.choices],
            help="Status of new essays whose file does not say (default: draft).",
        )
        parser.add_argument("--date", help="Date (YYYY-MM-DD) for files that have none.")
        parser.add_argument("--legacy-url", help="The old address of the one file imported.")
        parser.add_argument(
            "--site-name",
            default="",
            help="The old site's name, taken off page titles and banners (found by itself "
            "when many pages of the site are imported together).",
        )
        parser.add_argument(
            "--base-url",
            help="The files are a mirror of the old site under this prefix ('/' or '/old/'): "
            "anl/anl.html had the address /anl/anl.html.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; write nothing."
        )
        parser.add_argument(
            "--update", action="store_true", help="Replace essays whose files have changed."
        )

    def handle(self, *args, paths, verbosity, **options):
        section = None
        if options["section"]:
            section = Section.objects.filter(slug=options["section"]).first()
            if section is None:
                known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No section '{options['section']}'. Sections: {known}.")
        date = None
        if options["date"]:
            if parse_date(options["date"]) is None:
                raise CommandError(f"--date {options['date']} is not a date like 2004-03-12.")
            date = parse_moment(options["date"])
        if options["legacy_url"] and options["base_url"]:
            raise CommandError("Give --legacy-url or --base-url, not both.")
        import_options = ImportOptions(
            section=section,
            status=options["status"],
            date=date,
            legacy_url=(options["legacy_url"] or "").strip(),
            base_url=options["base_url"],
            dry_run=options["dry_run"],
            update=options["update"],
            site_name=options["site_name"].strip(),
        )

        def progress(description, total):
            # To stderr, so the report on stdout stays clean to read or save.
            return tqdm(total=total, desc=description, unit="file", file=sys.stderr, leave=False)

        try:
            reports = run_import(
                paths, import_options, progress=progress if verbosity > 0 else None
            )
        except ImportFailure as error:
            raise CommandError(str(error)) from None
        for report in reports:
            if verbosity == 0 and report.outcome != FAILED:
                continue
            style = {FAILED: self.style.ERROR, SKIPPED: self.style.WARNING}.get(
                report.outcome, self.style.SUCCESS if report.outcome != UNCHANGED else str
            )
            self.stdout.write(style(report.line()))
            for warning in report.warnings if verbosity > 0 else []:
                self.stdout.write(f"          warning: {warning}")
            for url in report.old_urls if verbosity > 1 else []:
                self.stdout.write(f"          old address: {url}")
        self.stdout.write(summary_line(reports, dry_run=import_options.dry_run))
