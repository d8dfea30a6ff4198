"""Writing the export: every kind, then the media files, then the manifest."""

from django.core.files.storage import default_storage
from django.db import connection, transaction

from .archive import ArchiveWriter
from .kinds import KINDS, fields_of, many_to_many_of, to_json
from .progress import Report, silent

BATCH_SIZE = 500


def export_site(file, *, with_feedback=False, progress=silent):
    """Write the whole site into file (a path or a seekable binary file); returns a Report."""
    kinds = [kind for kind in KINDS if kind.installed and (with_feedback or not kind.optional)]
    report = Report()
    writer = ArchiveWriter(file)
    try:
        with transaction.atomic():
            _snapshot()
            keys = {
                kind.model: dict(kind.model._default_manager.values_list("pk", kind.key))
                for kind in kinds
                if kind.key
            }
            for kind in kinds:
                rows = _rows(kind, keys, report, progress)
                writer.write_kind(kind.name, rows)
                report.counts[kind.name] = len(rows)
        # Outside the transaction: copying images can take a while, and on
        # SQLite the transaction would keep editors from saving meanwhile.
        # Through the storage, not MEDIA_ROOT: uploads may be in a bucket.
        media = writer.media(default_storage)
        bar = progress("media files", len(media))
        for name in media:
            writer.write_media(default_storage, name)
            bar.update(1)
        bar.close()
        report.media_files, report.media_bytes = writer.media_files, writer.media_bytes
    finally:
        report.manifest = writer.close()
    return report


def _snapshot():
    # On PostgreSQL every query in the transaction sees the same moment, so an
    # essay saved during the export cannot name a person the export missed.
    # Only possible as the first statement of a transaction of our own.
    if connection.vendor == "postgresql" and not connection.savepoint_ids:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def _rows(kind, keys, report, progress):
    model = kind.model
    plain, relations, skipped = fields_of(model)
    many, skipped_many = many_to_many_of(model)
    report.skipped_fields.extend(skipped + skipped_many)
    links = {}
    for relation in many:
        target_keys = keys[relation.target]
        per_owner = links[relation.name] = {}
        for source_pk, target_pk in relation.links():
            per_owner.setdefault(source_pk, []).append(target_keys[target_pk])

    queryset = model._default_manager.order_by("pk")
    bar = progress(kind.name, queryset.count())
    rows = []
    attnames = [field.attname for field in plain + relations]
    for values in queryset.values("pk", *attnames).iterator(chunk_size=BATCH_SIZE):
        row = {field.name: to_json(values[field.attname]) for field in plain}
        for field in relations:
            target_pk = values[field.attname]
            row[field.name] = None if target_pk is None else keys[field.related_model][target_pk]
        for name, per_owner in links.items():
            row[name] = per_owner.get(values["pk"], [])
        rows.append(row)
        bar.update(1)
    bar.close()
    return rows
