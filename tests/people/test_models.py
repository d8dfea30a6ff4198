import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import OtherName, Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def refused_by_database(**fields):
    # Straight to the database, past form validation, as a script or a bad
    # import would go.
    person = make_person(name="Someone")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(**fields)


@pytest.mark.parametrize("wikidata", ["310151", "q310151", "Q0123", "Q", "Q12 ", "https://x"])
def test_a_malformed_wikidata_id_is_refused(wikidata):
    with pytest.raises(ValidationError, match="Wikidata ID"):
        Person(name="A", sort_name="A", slug="a", wikidata=wikidata).full_clean()
    refused_by_database(wikidata=wikidata)


@pytest.mark.parametrize("viaf", ["abc", "12 34", "viaf/123"])
def test_a_malformed_viaf_id_is_refused(viaf):
    with pytest.raises(ValidationError, match="VIAF ID"):
        Person(name="A", sort_name="A", slug="a", viaf=viaf).full_clean()
    refused_by_database(viaf=viaf)


def test_well_formed_identifiers_are_accepted():
    person = Person(name="A", sort_name="A", slug="a", wikidata="Q310151", viaf="49226386")

    person.full_clean()
    person.save()

    assert Person.objects.filter(wikidata="Q310151").exists()


def test_a_death_before_birth_is_refused():
    person = Person(
        name="A",
        sort_name="A",
        slug="a",
        birth_date=datetime.date(1900, 1, 1),
        death_date=datetime.date(1899, 12, 31),
    )

    with pytest.raises(ValidationError, match="before the date of birth"):
        person.full_clean()
    refused_by_database(
        birth_date=datetime.date(1900, 1, 1), death_date=datetime.date(1899, 12, 31)
    )


def test_dying_on_the_day_of_birth_is_allowed():
    make_person(birth_date=datetime.date(1900, 1, 1), death_date=datetime.date(1900, 1, 1))


def test_an_empty_sort_name_is_refused_by_the_database():
    refused_by_database(sort_name="")


def test_an_unknown_date_precision_is_refused_by_the_database():
    refused_by_database(birth_precision="week")


def test_the_same_other_name_twice_for_one_person_is_refused():
    person = make_person(other_names=["Kibalchich"])

    with pytest.raises(IntegrityError), transaction.atomic():
        OtherName.objects.create(person=person, name="Kibalchich")


def test_two_people_may_share_an_other_name():
    make_person(name="Lev Kamenev", other_names=["Lev"])
    make_person(name="Lev Trotsky", other_names=["Lev"])

    assert OtherName.objects.filter(name="Lev").count() == 2


@pytest.mark.parametrize(
    ("birth", "precision_birth", "death", "expected"),
    [
        (datetime.date(1890, 12, 30), "day", datetime.date(1947, 11, 17), "1890–1947"),
        (datetime.date(1886, 1, 1), "circa", None, "c. 1886–"),
        (None, "year", datetime.date(1961, 1, 1), "?–1961"),
        (None, "year", None, ""),
    ],
)
def test_the_lifespan_reads_naturally(birth, precision_birth, death, expected):
    person = Person(birth_date=birth, birth_precision=precision_birth, death_date=death)

    assert person.lifespan == expected
