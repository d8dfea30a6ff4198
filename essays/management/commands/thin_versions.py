"""
manage.py thin_versions [--dry-run]: keep the history of essays, sections,
people and works manageable. The policy, per object: every version from the
last 90 days stays; before that, the newest version of each calendar month
(in the site's time zone) stays and the others go. So the newest version of
every object, deleted ones included, always stays and can be recovered. The
tags, other names and contributors saved with a version go with it. Run it
from cron as often as you like: a second run changes nothing.
"""

import datetime
import sys
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from reversion.models import Revision, Version
from tqdm import tqdm

from sergesite import versions

KEEP_EVERY_VERSION_DAYS = 90


class Command(BaseCommand):
    help = (
        "Thin out the versions of essays, sections, people and works. For each of them, "
        f"every version from the last {KEEP_EVERY_VERSION_DAYS} days is kept, and before "
        "that one a month: the newest of each calendar month (in the site's time zone). "
        "The newest version of an object is always kept, deleted objects included, so "
        "they can still be recovered. Tags, other names and contributors saved with a "
        "version go with it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; delete nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        quiet = options["verbosity"] == 0
        doomed = versions_to_thin(timezone.now())
        by_revision = defaultdict(list)
        for version_id, revision_id in doomed:
            by_revision[revision_id].append(version_id)
        verb = "Would delete" if dry_run else "Deleted"
        if not dry_run:
            progress = tqdm(
                total=len(by_revision),
                desc="Revisions",
                unit="",
                file=options.get("stderr") or sys.stderr,
                disable=quiet,
            )
            with progress:
                for revision_id, version_ids in by_revision.items():
                    with transaction.atomic():
                        _thin_revision(revision_id, version_ids)
                    progress.update()
        if not quiet:
            self.stdout.write(
                f"{verb} {len(doomed)} old versions in {len(by_revision)} revisions; "
                f"kept every version from the last {KEEP_EVERY_VERSION_DAYS} days "
                "and the newest of each month before."
            )


def versions_to_thin(now):
    """[(version id, revision id)] of the versions of records the policy lets go."""
    cutoff = now - datetime.timedelta(days=KEEP_EVERY_VERSION_DAYS)
    doomed = []
    for model in versions.RECORDS:
        rows = (
            Version.objects.get_for_model(model)
            .filter(revision__date_created__lt=cutoff)
            .order_by("object_id", "-revision__date_created", "-pk")
            .values_list("pk", "revision_id", "object_id", "revision__date_created")
        )
        kept = set()
        for pk, revision_id, object_id, created in rows.iterator():
            local = timezone.localtime(created)
            month = (object_id, local.year, local.month)
            if month in kept:
                doomed.append((pk, revision_id))
            else:
                kept.add(month)
    return doomed


def _thin_revision(revision_id, version_ids):
    in_revision = list(Version.objects.filter(revision_id=revision_id))
    record_types = {ContentType.objects.get_for_model(model).pk for model in versions.RECORDS}
    records = [v for v in in_revision if v.content_type_id in record_types]
    if all(v.pk in version_ids for v in records):
        # The usual case: one object saved, with its parts.
        Revision.objects.filter(pk=revision_id).delete()
        return
    # Several objects saved together (an admin action): only these go, with their parts.
    going = [v for v in records if v.pk in version_ids]
    ids = {v.pk for v in going}
    for version in going:
        for parts in versions.parts_of(version, in_revision).values():
            ids.update(part.pk for part in parts)
    Version.objects.filter(pk__in=ids).delete()
