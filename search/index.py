"""
Keeping search documents in step with essays, people and works.

The models call update_for() from save() and remove_for() from delete();
the admin calls update_for() again once tags and inlines are saved, since
those are written after the object itself.
"""

import html
import re

from django.db import transaction
from django.utils.html import strip_tags

from .models import Document
from .query import words

BATCH_SIZE = 200


# Footnote markers ("…had.¹") and back-links ("↩") are navigation, not text:
# left in, they would glue numbers to words and show up in snippets.
_FOOTNOTE_LINKS = re.compile(
    r'<sup id="fnref[^"]*">.*?</sup>|<a class="footnote-backref"[^>]*>.*?</a>', re.S
)


def _plain(markup_html):
    return html.unescape(strip_tags(_FOOTNOTE_LINKS.sub("", markup_html or "")))


def _names(*names):
    folded = [" ".join(words(name)) for name in names if name]
    return "|" + "|".join(dict.fromkeys(folded)) + "|" if folded else ""


def _decade(year):
    return year // 10 * 10 if year else None


def _essay_fields(essay, tags=None):
    tags = sorted(essay.tags.values_list("name", "slug")) if tags is None else tags
    tag_names = [name for name, _ in tags]
    published = essay.published_at
    return {
        "title": essay.title,
        "other_names": essay.author,
        "summary": essay.summary,
        "body": _plain(essay.body_html) or essay.body,
        "tags": " ".join(tag_names),
        "tag_slugs": "|" + "|".join(slug for _, slug in tags) + "|" if tags else "",
        "names": _names(essay.title),
        "meta": essay.section.title,
        "section": essay.section.slug,
        "section_title": essay.section.title,
        "decade": _decade(published.year if published else None),
        "is_published": essay.status == essay.Status.PUBLISHED,
        "published_at": published,
    }


def _person_fields(person, other_names=None):
    if other_names is None:
        other_names = list(person.other_names.values_list("name", flat=True))
    return {
        "title": person.name,
        "other_names": " ".join([person.sort_name, *other_names]),
        "summary": person.description,
        "body": _plain(person.biography_html) or person.biography,
        "names": _names(person.name, person.sort_name, *other_names),
        "meta": " · ".join(part for part in (person.lifespan, person.description) if part),
        "decade": _decade(person.birth_date.year if person.birth_date else None),
    }


def _work_fields(work, contributors=None):
    if contributors is None:
        contributors = list(work.contributions.values_list("person__name", flat=True))
    year = work.year_published or work.year_written
    return {
        "title": work.title,
        "other_names": " ".join(filter(None, [work.original_title, *contributors])),
        "summary": work.subtitle,
        "body": _plain(work.notes_html) or work.notes,
        "names": _names(work.title, work.original_title, f"{work.title} {work.subtitle}"),
        "meta": " · ".join(filter(None, [", ".join(contributors), str(year or "")])),
        "decade": _decade(year),
    }


_BUILDERS = {
    "essays.essay": (Document.Kind.ESSAY, _essay_fields),
    "people.person": (Document.Kind.PERSON, _person_fields),
    "works.work": (Document.Kind.WORK, _work_fields),
}


def _document(obj, **related):
    kind, build = _BUILDERS[obj._meta.label_lower]
    fields = build(obj, **related)
    fields.setdefault("is_published", True)
    return Document(kind=kind, object_id=obj.pk, url=obj.get_absolute_url(), **fields)


def update_for(obj):
    """Write the search document for an essay, a person or a work."""
    if obj.pk is None:
        return
    document = _document(obj)
    fields = {f.attname: getattr(document, f.attname) for f in Document._meta.concrete_fields}
    del fields["id"]
    Document.objects.update_or_create(
        kind=fields.pop("kind"), object_id=fields.pop("object_id"), defaults=fields
    )


def remove_for(obj):
    kind, _ = _BUILDERS[obj._meta.label_lower]
    Document.objects.filter(kind=kind, object_id=obj.pk).delete()


def _essay_batches():
    from essays.models import Essay

    essays = Essay.objects.select_related("section").prefetch_related("tags").order_by("pk")
    for essay in essays.iterator(chunk_size=BATCH_SIZE):
        yield _document(essay, tags=sorted((tag.name, tag.slug) for tag in essay.tags.all()))


def _person_batches():
    from people.models import Person

    people = Person.objects.prefetch_related("other_names").order_by("pk")
    for person in people.iterator(chunk_size=BATCH_SIZE):
        yield _document(person, other_names=[o.name for o in person.other_names.all()])


def _work_batches():
    from works.models import Work

    works = Work.objects.prefetch_related("contributions__person").order_by("pk")
    for work in works.iterator(chunk_size=BATCH_SIZE):
        yield _document(work, contributors=[c.person.name for c in work.contributions.all()])


def rebuild(progress=None):
    """Replace every search document; progress(kind, done) is called after each batch."""
    from essays.models import Essay
    from people.models import Person
    from works.models import Work

    sources = [
        ("essays", Essay, _essay_batches),
        ("people", Person, _person_batches),
        ("works", Work, _work_batches),
    ]
    with transaction.atomic():
        Document.objects.all().delete()
        for label, model, documents in sources:
            total, batch, done = model.objects.count(), [], 0
            for document in documents():
                batch.append(document)
                if len(batch) == BATCH_SIZE:
                    Document.objects.bulk_create(batch)
                    done += len(batch)
                    batch = []
                    if progress:
                        progress(label, done, total)
            Document.objects.bulk_create(batch)
            if progress:
                progress(label, done + len(batch), total)
