"""
Keeping search documents in step with the models registered in
search.registry (each says what its document holds: search_document()).

The models call update_for() from save() and remove_for() from delete();
the admin calls update_for() again once tags and inlines are saved, since
those are written after the object itself. The helpers below (plain_text,
name_list, decade) are for the models' search_document() methods.
"""

import html
import re

from django.db import transaction
from django.db.models import Exists, OuterRef

from . import registry
from .engines import get_engine
from .models import Document
from .query import words

BATCH_SIZE = 200

# The columns that say what an object is called. When they change, the
# documents of other objects that carry its names are written again.
NAME_COLUMNS = ("title", "other_names", "names")

# Footnote markers ("…had.¹") and back-links ("↩") are navigation, not text:
# left in, they would glue numbers to words and show up in snippets.
_FOOTNOTE_LINKS = re.compile(
    r'<sup id="fnref[^"]*">.*?</sup>|<a class="footnote-backref"[^>]*>.*?</a>', re.S
)


def plain_text(markup_html):
    """The words of rendered HTML, without tags, entities or footnote links."""
    # nh3 with no tags allowed keeps only the text, as strip_tags() does, in
    # a fifth of the time on a long essay; it escapes what it keeps. Imported
    # here: a worker serving pages never writes a search document.
    import nh3

    return html.unescape(nh3.clean(_FOOTNOTE_LINKS.sub("", markup_html or ""), tags=set()))


def name_list(*names):
    """For Document.names: "|victor serge|kibalchich|", folded and without repeats."""
    folded = [" ".join(words(name)) for name in names if name]
    return "|" + "|".join(dict.fromkeys(folded)) + "|" if folded else ""


def decade(year):
    return year // 10 * 10 if year else None


def _document(obj, kind):
    fields = obj.search_document()
    fields.setdefault("is_published", True)
    return Document(kind=kind, object_id=obj.pk, url=obj.get_absolute_url(), **fields)


def update_for(obj):
    """Write the search document of one object of a registered model."""
    if obj.pk is None:
        return
    model = type(obj)
    kind = registry.kind_of(model)
    # Read again rather than trusting obj: related rows cached on it before
    # the admin saved the form's tags and inlines would be stale.
    stored = model._default_manager.for_search_index().filter(pk=obj.pk).first()
    if stored is None:
        remove_for(obj)
        return
    document = _document(stored, kind)
    with transaction.atomic():
        current = (
            Document.objects.select_for_update()
            .filter(kind=kind, object_id=obj.pk)
            .only("pk", *NAME_COLUMNS)
            .first()
        )
        if current is None:
            document.save(force_insert=True)
            return
        document.pk = current.pk
        document.save(force_update=True)
    renamed = any(getattr(current, c) != getattr(document, c) for c in NAME_COLUMNS)
    if renamed:
        _refresh_documents_naming(stored)


def remove_for(obj):
    Document.objects.filter(kind=registry.kind_of(type(obj)), object_id=obj.pk).delete()


def remove_many(model, pks):
    Document.objects.filter(kind=registry.kind_of(model), object_id__in=list(pks)).delete()


def _documents(model, queryset):
    kind = registry.kind_of(model)
    for obj in queryset.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        yield _document(obj, kind)


def _batches(documents):
    batch = []
    for document in documents:
        batch.append(document)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def update_many(model, pks):
    """Rewrite the documents of these objects of one model, reading them 200 at a time."""
    manager = model._default_manager
    pks = sorted(set(pks))
    for start in range(0, len(pks), BATCH_SIZE):
        chunk = pks[start : start + BATCH_SIZE]
        documents = list(_documents(model, manager.for_search_index().filter(pk__in=chunk)))
        with transaction.atomic():
            remove_many(model, chunk)
            Document.objects.bulk_create(documents)


def missing(model):
    """The ids of this model's objects that have no document (a write that was cut off)."""
    documents = Document.objects.filter(kind=registry.kind_of(model), object_id=OuterRef("pk"))
    rows = model._default_manager.filter(~Exists(documents)).order_by("pk")
    return list(rows.values_list("pk", flat=True))


def _refresh_documents_naming(obj):
    """Rewrite the documents that carry obj's names: essays that mention a person, works."""
    for model in registry.models():
        manager = model._default_manager
        if hasattr(manager, "with_search_names_of"):
            update_many(model, manager.with_search_names_of(obj).values_list("pk", flat=True))


def settle():
    """After writing many documents (an import, a rebuild): leave the indexes as
    searches find them fastest."""
    get_engine().settle()


def rebuild(progress=None):
    """Replace every search document; progress(label, done, total) is called after each batch."""
    with transaction.atomic():
        Document.objects.all().delete()
        for model in registry.models():
            label = str(model._meta.verbose_name_plural)
            queryset = model._default_manager.for_search_index()
            total, done = queryset.count(), 0
            for batch in _batches(_documents(model, queryset)):
                Document.objects.bulk_create(batch)
                done += len(batch)
                if progress and done < total:
                    progress(label, done, total)
            if progress:
                progress(label, done, total)
    settle()
