"""
Reading an export back: all in one transaction, so a bad archive changes nothing.

Records whose HTML is rendered from Markdown are saved one by one through
save(), which renders and sanitizes it on this site; the rest are inserted in
batches. The timestamps Django sets on save are put back at the end, and the
search index is rebuilt once, when everything is in.
"""

import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DatabaseError, transaction

from search import index as search_index

from .archive import STAGING_PREFIX, ArchiveError, ArchiveReader, store_media
from .kinds import (
    KINDS,
    KINDS_BY_NAME,
    fields_of,
    is_current_site,
    is_derived,
    many_to_many_of,
    timestamp_fields,
)
from .progress import Report, silent

BATCH_SIZE = 500


def import_site(file, *, replace=False, progress=silent):
    """Load an export into this site; returns a Report, or raises ArchiveError."""
    reader = ArchiveReader(file)
    try:
        report = Report(manifest=reader.manifest)
        kinds = _kinds_to_load(reader.manifest["kinds"], report)
        # Everything is read and checked before the database is touched.
        data = {kind.name: reader.rows(kind.name) for kind in kinds}
        staging = _staging_folder(default_storage)
        try:
            bar = progress("media files", len(reader.media_infos))
            report.media_bytes = reader.extract_media(staging, bar)
            report.media_files = len(reader.media_infos)
            bar.close()
            with transaction.atomic():
                _make_room(kinds, replace)
                _Loader(data, report, progress).run(kinds)
            # Files are not transactional: they are stored only once the
            # database has committed.
            store_media(staging, default_storage, progress)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        reader.close()
    return report


def _staging_folder(storage):
    # Every storage is written the same way (delete, save, check the name it
    # kept), so a bucket and a folder behave alike and there is one path to
    # test. Only where the archive is unpacked differs. For files on local
    # disk, inside their own folder: saving is then a rename, and the space
    # is taken on the disk the files will stay on, as before. For any other
    # storage (a bucket), the system's temporary folder: MEDIA_ROOT is not
    # served there, and nothing should be written into it.
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        root.mkdir(parents=True, exist_ok=True)
        return tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root)
    return tempfile.mkdtemp(prefix=STAGING_PREFIX)


def _kinds_to_load(names, report):
    wanted = set()
    for name in names:
        kind = KINDS_BY_NAME.get(name)
        if kind is None or not kind.installed:
            report.skipped_kinds.append(name)
        else:
            wanted.add(name)
    return [kind for kind in KINDS if kind.name in wanted]


def _make_room(kinds, replace):
    # Everything of the site's own content is replaced; feedback only when
    # the archive brings feedback of its own.
    in_archive = {kind.name for kind in kinds}
    owned = [
        kind for kind in KINDS if kind.installed and (not kind.optional or kind.name in in_archive)
    ]
    if replace:
        for kind in reversed(owned):
            kind.model._default_manager.all().delete()
        return
    present = [
        f"{count} {kind.name.replace('_', ' ')}"
        for kind in owned
        if not kind.seeded and (count := kind.model._default_manager.count())
    ]
    if present:
        raise ArchiveError(
            f"The database is not empty ({', '.join(present)}). Import into an empty "
            "database, or add --replace to delete its content first."
        )


class _Loader:
    def __init__(self, data, report, progress):
        self.data, self.report, self.progress = data, report, progress
        self.pks = {}  # model -> {natural key: pk}
        self.timestamps = []  # (model, fields, [(record, {attname: value})])

    def run(self, kinds):
        for kind in kinds:
            self.load(kind, self.data[kind.name])
        for model, fields, records in self.timestamps:
            for record, values in records:
                for attname, value in values.items():
                    setattr(record, attname, value)
            # bulk_update() writes the values as they are: auto_now is not applied.
            model._default_manager.bulk_update(
                [record for record, _ in records], fields, batch_size=BATCH_SIZE
            )
        bars, counted = {}, {}

        def rebuilt(label, done, total):
            bar = bars.setdefault(label, self.progress(f"search index: {label}", total))
            bar.update(done - counted.get(label, 0))
            counted[label] = done

        search_index.rebuild(progress=rebuilt)
        for bar in bars.values():
            bar.close()

    def load(self, kind, rows):
        model = kind.model
        # Saving the records above may have made some of these as a side
        # effect (mentions found when an essay is saved): the archive's rows,
        # with the editors' decisions, replace them.
        made_by_saves = model._default_manager.all().delete()[0]
        records, self_links = self.build(kind, rows)
        # Taken before saving: save() stamps them with the present moment.
        fields = [field.attname for field in timestamp_fields(model)]
        stamps = [
            (record, {name: getattr(record, name) for name in fields if getattr(record, name)})
            for record in records
        ]
        self.save(kind, records)
        if made_by_saves:
            self.render_again(kind, records)
        if kind.key:
            self.pks[model] = dict(model._default_manager.values_list(kind.key, "pk"))
        self.link_to_self(kind, records, self_links)
        self.link_many(kind, rows, records)
        self.report.counts[kind.name] = len(records)
        if fields and records:
            self.timestamps.append((model, fields, stamps))

    def build(self, kind, rows):
        model = kind.model
        plain, relations, _ = fields_of(model)
        by_name = {field.name: field for field in plain + relations}
        many = {relation.name for relation in many_to_many_of(model)[0]}
        sites = [field for field in model._meta.concrete_fields if field.is_relation]
        sites = [field for field in sites if is_current_site(field)]
        records, self_links = [], []
        bar = self.progress(f"{kind.name} (checking)", len(rows))
        for row in rows:
            values, links = {}, {}
            for name, raw in row.items():
                field = by_name.get(name)
                if name in many:
                    continue
                if field is None:
                    self.report.ignored_fields.append(f"{kind.name}.{name}")
                elif field.is_relation and field.related_model is model:
                    links[field] = raw
                elif field.is_relation:
                    values[field.attname] = self.resolve(kind, row, field, raw)
                else:
                    values[field.attname] = raw
            for field in sites:
                values[field.attname] = field.related_model.objects.get_current().pk
            record = model(**values)
            try:
                record.clean_fields(exclude=[field.name for field in relations])
            except ValidationError as error:
                raise ArchiveError(f"{self.where(kind, row)}: {_messages(error)}") from None
            records.append(record)
            self_links.append(links)
            bar.update(1)
        bar.close()
        return records, self_links

    def save(self, kind, records):
        model = kind.model
        rendered = any(is_derived(field) for field in model._meta.concrete_fields)
        bar = self.progress(kind.name, len(records))
        try:
            if rendered:
                for record in records:
                    record.save()  # renders the Markdown into the *_html fields
                    bar.update(1)
            else:
                for start in range(0, len(records), BATCH_SIZE):
                    batch = records[start : start + BATCH_SIZE]
                    model._default_manager.bulk_create(batch)
                    bar.update(len(batch))
        except DatabaseError as error:
            raise ArchiveError(
                f"{kind.name}.json: the database refused a record: {error}"
            ) from None
        bar.close()

    def render_again(self, kind, records):
        # The records these rows point at were rendered before the rows
        # existed: render them again, then put the archive's rows back in
        # case that saving changed them.
        owners = {}
        for field in kind.model._meta.concrete_fields:
            if field.is_relation and any(is_derived(f) for f in field.related_model._meta.fields):
                ids = {getattr(record, field.attname) for record in records}
                for owner in field.related_model._default_manager.filter(pk__in=ids):
                    owners[owner] = None
        for owner in owners:
            owner.save()
        kind.model._default_manager.all().delete()
        for record in records:
            record.pk = None
            record._state.adding = True
        self.save(kind, records)

    def resolve(self, kind, row, field, raw):
        if raw is None:
            return None
        known = self.pks.get(field.related_model, {})
        if not isinstance(raw, str) or raw not in known:
            raise ArchiveError(
                f"{self.where(kind, row)}: {field.name} names "
                f"{field.related_model._meta.verbose_name} {raw!r}, which the archive lacks."
            )
        return known[raw]

    def link_to_self(self, kind, records, self_links):
        fields = {field for links in self_links for field in links}
        for field in fields:
            chosen = {}
            for record, links in zip(records, self_links, strict=True):
                key = getattr(record, kind.key)
                if links.get(field) is not None:
                    chosen[key] = links[field]
                    setattr(
                        record,
                        field.attname,
                        self.resolve(kind, {kind.key: key}, field, chosen[key]),
                    )
            _refuse_loops(kind, field, chosen)
            kind.model._default_manager.bulk_update(records, [field.attname], batch_size=BATCH_SIZE)

    def link_many(self, kind, rows, records):
        for relation in many_to_many_of(kind.model)[0]:
            links = []
            for row, record in zip(rows, records, strict=True):
                keys = row.get(relation.name, [])
                if not isinstance(keys, list):
                    raise ArchiveError(f"{self.where(kind, row)}: {relation.name} is not a list.")
                for key in keys:
                    target = self.resolve(kind, row, relation.field, key)
                    links.append(relation.new_link(record.pk, target))
            try:
                relation.through._default_manager.bulk_create(links, batch_size=BATCH_SIZE)
            except DatabaseError as error:
                raise ArchiveError(
                    f"{kind.name}.json: the links in {relation.name} were refused: {error}"
                ) from None

    @staticmethod
    def where(kind, row):
        key = row.get(kind.key) if kind.key else None
        return f"{kind.name}.json, {key!r}" if key else f"{kind.name}.json"


def _refuse_loops(kind, field, chosen):
    """chosen maps a key to the key it points at; a cycle would hang the pages that follow it."""
    done = set()
    for start in chosen:
        path, key = [], start
        while key in chosen and key not in done:
            if key in path:
                loop = " → ".join(path[path.index(key) :] + [key])
                raise ArchiveError(f"{kind.name}.json: {field.name} makes a loop: {loop}.")
            path.append(key)
            key = chosen[key]
        done.update(path)


def _messages(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
