"""Keyword factory functions: make_essay(title=..., published=True)."""

import datetime
from itertools import count

from django.utils import timezone
from django.utils.text import slugify

from essays.models import Essay, Mention, Section
from feedback.models import Feedback
from people.models import OtherName, Person
from search import index as search_index
from works.models import Contribution, Work

_sequence = count(1)


def _unique_slug(text):
    return f"{slugify(text, allow_unicode=True)[:80] or 'item'}-{next(_sequence)}"


def make_section(*, title="Research", slug=None, **fields):
    return Section.objects.create(title=title, slug=slug or _unique_slug(title), **fields)


def make_essay(
    *, title="An essay", slug=None, section=None, body="Some text.", published=True,
    published_at=None, tags=(), people=(), works=(), **fields,
):  # fmt: skip
    if published:
        fields["status"] = Essay.Status.PUBLISHED
        fields["published_at"] = published_at or timezone.now() - datetime.timedelta(days=1)
    else:
        fields["status"] = Essay.Status.DRAFT
        fields["published_at"] = published_at
    essay = Essay.objects.create(
        title=title,
        slug=slug or _unique_slug(title),
        section=section or make_section(),
        body=body,
        **fields,
    )
    if tags:
        essay.tags.add(*tags)
        # Tags are saved after the essay, as in the admin: index them too.
        search_index.update_for(essay)
    essay.people.add(*people)
    essay.works.add(*works)
    return essay


def make_person(*, name="Victor Serge", sort_name=None, slug=None, other_names=(), **fields):
    person = Person.objects.create(
        name=name, sort_name=sort_name or name, slug=slug or _unique_slug(name), **fields
    )
    for other in other_names:
        if isinstance(other, str):
            other = (other, OtherName.Kind.TRANSLITERATION)
        OtherName.objects.create(person=person, name=other[0], kind=other[1])
    return person


def make_work(*, title="Memoirs of a Revolutionary", slug=None, authors=(), **fields):
    work = Work.objects.create(title=title, slug=slug or _unique_slug(title), **fields)
    for order, person in enumerate(authors):
        Contribution.objects.create(work=work, person=person, order=order)
    return work


def make_mention(
    *, essay, person=None, work=None, phrase=None, anchor="p-1", position=None,
    context="", status=Mention.Status.ACCEPTED, **fields,
):  # fmt: skip
    """One place in `essay` that names `person` or `work`; accepted unless told otherwise."""
    return Mention.objects.create(
        essay=essay,
        person=person,
        work=work,
        phrase=phrase or str(person or work),
        anchor=anchor,
        position=next(_sequence) if position is None else position,
        context=context,
        status=status,
        **fields,
    )


def make_feedback(*, message="My edition dates it 1950, not 1948.", received_at=None, **fields):
    feedback = Feedback.objects.create(message=message, **fields)
    if received_at:
        # received_at is set on creation; move it afterwards for tests about age.
        Feedback.objects.filter(pk=feedback.pk).update(received_at=received_at)
        feedback.refresh_from_db()
    return feedback
