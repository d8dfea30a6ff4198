"""
Versions of essays, sections, people and works (django-reversion).

A *record* is a model whose history editors read: every save of one keeps a
version, with its *parts* (rows that belong to it and are restored with it:
an essay's tag links, a person's other names, a work's contributors) and who
saved it and when. Things a record only points at (its section, the people
and works an essay discusses, the book it is part of) are kept as ids: they
have their own history, and restoring an essay must never delete a person.

Where versions are made (see docs/ARCHITECTURE.md):

- In the admin, VersionAdmin wraps each change form (and list, for its
  actions and editable columns) in a revision with the editor as its user;
  HistoryAdmin adds the object to it once the object, its many-to-many rows
  and its inlines are all saved (sergesite/versions_admin.py).
- Anywhere else (import commands, the shell, load_demo), `record()`, called
  from the models' save(), writes a one-object revision when the transaction
  that saved it commits. A revision opened inside save() would close before
  the tags and other many-to-many rows are written (they come after the row
  itself, in the admin and in the importers alike); after the commit the
  version holds everything the transaction wrote, and several saves of one
  object in one transaction make one version. Outside a transaction (the
  shell) the commit is the save itself, so the version is written at once;
  adding tags or people to a saved essay makes one too.
"""

import json
import sys
from dataclasses import dataclass
from functools import partial

import reversion
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.models import CharField, Exists, Max, OuterRef, Prefetch
from django.db.models.functions import Cast
from django.db.models.signals import m2m_changed
from django.utils import timezone
from reversion.models import Revision, Version


@dataclass(frozen=True)
class Part:
    """Rows that belong to a record, such as a person's other names."""

    name: str  # the relation on the record: "other_names"
    label: str  # what editors call them: "Other names"
    model: type
    owner_field: str  # the part's column holding the record's id: "person_id"
    owner_type_field: str = ""  # for a generic relation (tags): "content_type_id"


# {record model: (Part, ...)}
RECORDS = {}
# {record model: the fields a version keeps}
_FIELDS = {}


def register(model, *, parts=None):
    """Keep a version of `model` at every save, with `parts` ({part model: label})."""
    parts = tuple(_part(model, part_model, label) for part_model, label in (parts or {}).items())
    for part in parts:
        if not reversion.is_registered(part.model):
            reversion.register(part.model)
    opts = model._meta
    # Fields that cannot be serialized (taggit's TaggableManager) are kept as parts.
    fields = tuple(
        field.name
        for field in [*opts.local_fields, *opts.local_many_to_many]
        if getattr(field, "serialize", True) or field.primary_key
    )
    reversion.register(model, fields=fields, follow=tuple(part.name for part in parts))
    # Adding tags or people to a saved object calls no save(): Django's
    # m2m_changed signal is the only place to hear of it.
    for field in opts.local_many_to_many:
        m2m_changed.connect(_many_to_many_changed, sender=field.remote_field.through)
    RECORDS[model] = parts
    _FIELDS[model] = fields
    return model


def _part(model, part_model, label):
    # Found from the part's side: models.py registers before the app
    # registry is ready, when reverse relations are not known yet.
    for relation in model._meta.private_fields:
        if isinstance(relation, GenericRelation) and relation.remote_field.model is part_model:
            type_field = part_model._meta.get_field(relation.content_type_field_name)
            return Part(
                relation.name, label, part_model, relation.object_id_field_name, type_field.attname
            )
    for field in part_model._meta.local_fields:
        if field.is_relation and field.remote_field.model is model:
            return Part(field.remote_field.get_accessor_name(), label, part_model, field.attname)
    raise ValueError(f"{part_model.__name__} does not belong to {model.__name__}.")


def record(obj):
    """
    Keep a version of `obj`, a registered record, as it stands once saved.
    The models call it from save(), and a part's save() and delete() with
    the record it belongs to.
    """
    if reversion.is_active():
        # The admin's revision is managed by hand: HistoryAdmin adds the
        # object once everything is saved. A revision opened by other code
        # gets the object as it is now.
        if not reversion.is_manage_manually():
            add_to_revision(obj)
        return
    using = router.db_for_write(type(obj), instance=obj)
    connection = transaction.get_connection(using)
    key = (obj._meta.label, obj.pk)
    # One version per object and transaction: a rolled-back savepoint takes
    # its callbacks with it, so the list is the truth.
    if any(getattr(func, "version_key", None) == key for _, func, _ in connection.run_on_commit):
        return
    callback = partial(_record_committed, type(obj), obj.pk, using)
    callback.version_key = key
    transaction.on_commit(callback, using=using)


def missing(queryset):
    """The ids of the objects of queryset that have no version at all (a write cut off
    between an object's commit and its version's)."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    kept = Version.objects.filter(
        content_type=content_type, object_id=Cast(OuterRef("pk"), CharField())
    )
    return list(queryset.filter(~Exists(kept)).order_by("pk").values_list("pk", flat=True))


def in_revision():
    """Whether this thread is inside a create_revision() block, which record() adds to."""
    return reversion.is_active()


def record_each(model, pks):
    """
    record() for many objects of one model written together (a batch
    import): each still gets a revision of its own, since restoring a
    version reverts its whole revision, but they are read in a few queries
    rather than a few per object.
    """
    pks = list(pks)
    if not pks:
        return
    if reversion.is_active():
        if not reversion.is_manage_manually():
            for obj in _fetch(model._base_manager.filter(pk__in=pks)):
                reversion.add_to_revision(obj)
        return
    using = router.db_for_write(model)
    transaction.on_commit(partial(_record_each_committed, model, pks, using), using=using)


def _record_each_committed(model, pks, using):
    objs = _fetch(model._base_manager.using(using).filter(pk__in=pks))
    comment = _origin()
    if not connections[using].features.can_return_rows_from_bulk_insert:
        for obj in objs:
            with reversion.create_revision(using=using):
                reversion.set_comment(comment)
                reversion.add_to_revision(obj)
        return
    # What create_revision() would write for each object, with the same
    # serialization, in two inserts for the lot instead of three queries
    # and a transaction per object.
    now = timezone.now()
    with transaction.atomic(using=using):
        revisions = Revision.objects.using(using).bulk_create(
            Revision(date_created=now, comment=comment) for _ in objs
        )
        Version.objects.using(using).bulk_create(
            _version(row, revision, using)
            for obj, revision in zip(objs, revisions, strict=True)
            for row in [obj, *_part_rows(obj)]
        )


def _part_rows(obj):
    return [row for part in RECORDS[type(obj)] for row in getattr(obj, part.name).all()]


def _version(row, revision, using):
    model = type(row)
    return Version(
        revision=revision,
        content_type=ContentType.objects.db_manager(using).get_for_model(model),
        object_id=str(row.pk),
        db=using,
        format="json",
        serialized_data=serialized(row, _FIELDS.get(model)),
        object_repr=str(row),
    )


def serialized(row, fields=None):
    """
    serializers.serialize("json", [row], fields=fields), to the character,
    in a fifth of the time: the JSON serializer encodes with json.dump(),
    which runs in Python piece by piece, json.dumps() in C at once.
    """
    data = serializers.serialize("python", [row], fields=fields)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"


def _many_to_many_changed(sender, instance, action, reverse, **kwargs):
    if action.startswith("post_") and not reverse and type(instance) in RECORDS:
        record(instance)


def _record_committed(model, pk, using):
    with reversion.create_revision():
        reversion.set_comment(_origin())
        # Read again: what was committed, not what the caller holds in memory.
        for obj in _fetch(model._base_manager.using(using).filter(pk=pk)):
            reversion.add_to_revision(obj)


def add_to_revision(obj):
    """Add `obj` to the open revision, read again with its parts."""
    for fresh in _fetch(type(obj)._base_manager.filter(pk=obj.pk)):
        reversion.add_to_revision(fresh)


def _origin():
    args = sys.argv
    if len(args) > 1 and args[0].endswith("manage.py") and args[1] != "runserver":
        return f"Saved by manage.py {args[1]}"
    return "Saved outside the admin"


def _fetch(queryset):
    """
    The records of `queryset` with everything a version reads loaded in a
    few queries: a version stores each part with its name (str()), which for
    a tag link would otherwise read the tag and the whole essay again.
    """
    model = queryset.model
    lookups = []
    for part in RECORDS[model]:
        own = (part.owner_field, part.owner_type_field)
        related = [
            f.name
            for f in part.model._meta.concrete_fields
            if f.is_relation and f.attname not in own
        ]
        rows = part.model._base_manager.all()
        lookups.append(Prefetch(part.name, rows.select_related(*related) if related else rows))
    for field in model._meta.local_many_to_many:
        if field.serialize:  # stored as a list of ids
            lookups.append(Prefetch(field.name, field.related_model._base_manager.only("pk")))
    objs = list(queryset.prefetch_related(*lookups))
    for part in RECORDS[model]:
        if part.owner_type_field:
            [owner] = [
                f for f in part.model._meta.private_fields if isinstance(f, GenericForeignKey)
            ]
            for obj in objs:
                for row in getattr(obj, part.name).all():
                    owner.set_cached_value(row, obj)
    return objs


def record_changed(queryset):
    """
    Add to the open revision each object of `queryset` whose own fields differ
    from its newest version (parts are not compared): for admin actions,
    which change rows with QuerySet.update(). A handful of queries, however
    many objects.
    """
    model = queryset.model
    objs = _fetch(queryset)
    newest = (
        Version.objects.get_for_model(model)
        .filter(object_id__in=[str(obj.pk) for obj in objs])
        .order_by()
        .values("object_id")
        .annotate(newest=Max("pk"))
        .values("newest")
    )
    stored = dict(Version.objects.filter(pk__in=newest).values_list("object_id", "serialized_data"))
    for obj in objs:
        current = serializers.serialize("json", [obj], fields=_FIELDS[model])
        if current != stored.get(str(obj.pk)):
            reversion.add_to_revision(obj)


def parts_of(version, revision_versions):
    """{Part: [part versions]} of `version`'s record, found among its revision's versions."""
    model = version._model
    found = {part: [] for part in RECORDS.get(model, ())}
    for part in found:
        for other in revision_versions:
            if other._model is not part.model:
                continue
            data = other.field_dict
            if str(data.get(part.owner_field)) != version.object_id:
                continue
            if part.owner_type_field and data.get(part.owner_type_field) != version.content_type_id:
                continue
            found[part].append(other)
    return found
