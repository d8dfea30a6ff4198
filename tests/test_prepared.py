"""
Prepared queries (sergesite/prepared.py): SQL built once, run with new values,
giving the rows and annotations the queryset itself would.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL

from essays import models as essay_models
from people.models import Person
from sergesite.prepared import Prepared
from tests.factories import make_essay, make_mention, make_person, make_work
from works.models import Contribution, Work


def _works_of(person, role):
    credits = Contribution.objects.filter(person=person)
    if role is not None:
        credits = credits.filter(role=role)
    return (
        Work.objects.filter(pk__in=credits.values("work_id"))
        .annotate(credits=Count("contributions", filter=Q(contributions__person=person)))
        .order_by("title")
    )


@pytest.fixture
def library(db):
    serge, trotsky = make_person(name="Victor Serge"), make_person(name="Leon Trotsky")
    make_work(title="Memoirs of a Revolutionary", authors=[serge])
    make_work(title="Conquered City", authors=[serge])
    make_work(title="The Revolution Betrayed", authors=[trotsky])
    return serge, trotsky


def test_a_prepared_query_gives_the_querysets_rows_for_each_new_value(library):
    serge, trotsky = library
    works_of = Prepared(Work, lambda person: _works_of(person, role=None))

    for person in (serge, trotsky, serge):
        rows = [(w.title, w.credits) for w in works_of(person=person.pk)]
        expected = [(w.title, w.credits) for w in _works_of(person.pk, role=None)]
        assert rows == expected
    assert [w.title for w in works_of(person=serge.pk)] == [
        "Conquered City",
        "Memoirs of a Revolutionary",
    ]


def test_the_sql_is_built_once_for_each_pattern_of_missing_values(library):
    serge, trotsky = library
    built = []

    def build(person, role):
        built.append((person, role))
        return _works_of(person, role)

    works_of = Prepared(Work, build)
    for person in (serge, trotsky):
        list(works_of(person=person.pk, role=None))
    assert len(built) == 1

    titles = [w.title for w in works_of(person=trotsky.pk, role="author")]
    assert len(built) == 2
    assert titles == ["The Revolution Betrayed"]


def test_the_fields_the_queryset_defers_are_read_only_when_asked_for(library):
    serge, _ = library
    people = Prepared(Person, lambda person: Person.objects.filter(pk=person).defer("biography"))

    (found,) = people(person=serge.pk)

    assert found.name == "Victor Serge"
    assert found.get_deferred_fields() == {"biography"}


def test_a_value_written_into_the_sql_text_is_refused(library):
    def build(person):
        return Person.objects.annotate(mine=RawSQL(f"id = {person}", []))

    with pytest.raises(ValueError, match="written into the SQL"):
        list(Prepared(Person, build)(person=library[0].pk))


def test_a_value_the_query_never_uses_is_refused(library):
    with pytest.raises(ValueError, match="does not use"):
        list(Prepared(Person, lambda person: Person.objects.all())(person=library[0].pk))


def test_a_queryset_reading_related_rows_is_refused(library):
    def build(person):
        return Work.objects.filter(contributions__person=person).prefetch_related("contributions")

    with pytest.raises(ValueError, match="related rows"):
        list(Prepared(Work, build)(person=library[0].pk))


def test_a_value_of_another_type_is_refused_before_any_query(library, django_assert_num_queries):
    people = Prepared(Person, lambda person: Person.objects.filter(pk=person))
    list(people(person=library[0].pk))

    with django_assert_num_queries(0), pytest.raises(TypeError):
        people(person=1.5)


def _as_read(row, name):
    # What the page does with each annotation: EXISTS as truth, the rest as numbers.
    value = getattr(row, name)
    return bool(value) if name in {"ticked", "named"} else value


@pytest.mark.parametrize("in_a_book", [False, True])
def test_the_essay_pages_link_queries_give_what_their_querysets_give(db, in_a_book):
    serge, trotsky, greeman = (
        make_person(name=name) for name in ("Victor Serge", "Leon Trotsky", "Richard Greeman")
    )
    book = make_work(title="Memoirs of a Revolutionary", authors=[serge]) if in_a_book else None
    betrayed = make_work(title="The Revolution Betrayed", authors=[trotsky])
    essay = make_essay(
        title="Year One", people=[trotsky], works=[betrayed], part_of=book, tags=["Exile", "Art"]
    )
    essay.set_authors([greeman])
    make_mention(essay=essay, person=serge, phrase="Serge")
    make_mention(essay=essay, work=betrayed, phrase="The Revolution Betrayed")
    make_mention(essay=essay, work=make_work(title="Conquered City"), phrase="Conquered City")

    for prepared, build, values in (
        (essay_models._LINKED_PEOPLE, essay_models._linked_people,
         {"essay": essay.pk, "book": book.pk if book else None}),
        (essay_models._LINKED_WORKS, essay_models._linked_works, {"essay": essay.pk}),
        (essay_models._TAGS, essay_models._tags,
         {"essay": essay.pk, "content_type": ContentType.objects.get_for_model(essay).pk}),
    ):  # fmt: skip
        queryset = build(**values)
        names = list(queryset.query.annotations)
        expected = {row.pk: [str(row), *(_as_read(row, n) for n in names)] for row in queryset}
        got = {row.pk: [str(row), *(_as_read(row, n) for n in names)] for row in prepared(**values)}
        assert got == expected
        assert list(got) == list(expected)  # in the same order
        assert len(got) >= 2
