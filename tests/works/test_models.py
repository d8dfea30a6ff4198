import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import make_person, make_work
from works.models import Contribution, Work

pytestmark = pytest.mark.django_db


def refused_by_database(work, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.filter(pk=work.pk).update(**fields)


@pytest.mark.parametrize("isbn", ["not an isbn", "12345", "ISBN 0140449132"])
def test_a_malformed_isbn_is_refused(isbn):
    work = make_work()

    with pytest.raises(ValidationError):
        Work(title="A", slug="a", isbn=isbn).full_clean()
    refused_by_database(work, isbn=isbn)


@pytest.mark.parametrize("code", ["French", "FR", "f", "fr_FR"])
def test_a_malformed_language_code_is_refused(code):
    work = make_work()

    with pytest.raises(ValidationError):
        Work(title="A", slug="a", original_language=code).full_clean()
    refused_by_database(work, original_language=code)


def test_a_last_year_of_writing_before_the_first_is_refused():
    work = make_work()

    refused_by_database(work, year_written=1943, year_written_end=1942)
    refused_by_database(work, year_written=None, year_written_end=1942)


def test_a_work_cannot_be_part_or_a_translation_of_itself():
    work = make_work()

    refused_by_database(work, part_of=work)
    refused_by_database(work, translation_of=work)


def test_an_unknown_kind_is_refused_by_the_database():
    refused_by_database(make_work(), kind="sonnet")


def test_the_same_person_cannot_hold_the_same_role_twice():
    serge = make_person()
    work = make_work(authors=[serge])

    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(work=work, person=serge, role="author")
    # A different role is fine: an author may translate their own book.
    Contribution.objects.create(work=work, person=serge, role="translator")


def test_the_citation_names_several_authors_editors_and_translators():
    marx = make_person(name="Karl Marx", sort_name="Marx, Karl")
    engels = make_person(name="Friedrich Engels", sort_name="Engels, Friedrich")
    moore = make_person(name="Samuel Moore", sort_name="Moore, Samuel")
    work = make_work(title="The Communist Manifesto", year_published=1848, authors=[marx, engels])
    Contribution.objects.create(work=work, person=moore, role="translator")

    assert work.citation() == (
        "Marx, Karl, and Friedrich Engels. The Communist Manifesto. "
        "Translated by Samuel Moore. 1848."
    )


def test_a_work_not_translated_is_cited_with_its_first_publication():
    serge = make_person(name="Victor Serge", sort_name="Serge, Victor")
    work = make_work(
        title="Ville conquise", year_published=1932, year_published_english=1975, authors=[serge]
    )

    item = work.csl_item()
    assert item["issued"] == {"date-parts": [[1932]]}
    assert "original-date" not in item
    assert work.citation().startswith("Serge, Victor. ")
    assert work.citation().endswith(" 1932.")


def test_an_edited_book_is_cited_under_its_editor():
    editor = make_person(name="David Renton", sort_name="Renton, David")
    work = make_work(title="An anthology", publisher="Zed Books", place="London")
    Contribution.objects.create(work=work, person=editor, role="editor")

    item = work.csl_item()
    assert "author" not in item
    assert item["editor"] == [{"family": "Renton", "given": "David"}]
    assert "Edited by David Renton" in work.citation()
    assert "Zed Books" in work.citation()


def test_a_subtitle_is_part_of_the_cited_title():
    work = make_work(
        title="Sixteen Shot",
        subtitle="Where Is the Russian Revolution Going?",
        year_published=1936,
    )

    assert work.csl_item()["title"] == "Sixteen Shot: Where Is the Russian Revolution Going?"


def test_a_work_with_no_publication_year_is_dated_by_when_it_was_written():
    work = make_work(title="Year Two of the Russian Revolution", year_written=1928)

    assert ("citation_publication_date", "1928") in work.citation_meta()
    # The year written is the only date known: it is the date everywhere.
    assert work.json_ld()["datePublished"] == "1928"
    assert work.json_ld()["dateCreated"] == "1928"


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [("novel", "Book"), ("chapter", "Chapter"), ("article", "Article"), ("play", "CreativeWork")],
)
def test_each_kind_of_work_has_a_schema_org_type(kind, schema_type):
    assert make_work(kind=kind).json_ld()["@type"] == schema_type


def test_an_unknown_language_code_is_shown_as_it_is():
    assert Work(original_language="xal").original_language_name == "xal"
    assert Work(original_language="de").original_language_name == "German"
