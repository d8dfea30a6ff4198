import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_person, make_work
from works.models import Contribution, Work

pytestmark = pytest.mark.django_db


def work_form(**overrides):
    data = {
        "title": "Memoirs of a Revolutionary",
        "subtitle": "",
        "slug": "memoirs-of-a-revolutionary",
        "kind": "memoir",
        "original_title": "Mémoires d'un révolutionnaire",
        "original_language": "fr",
        "year_written": "1942",
        "year_written_end": "1943",
        "year_published": "1951",
        "year_published_english": "1963",
        "date_note": "",
        "publisher": "",
        "place": "",
        "isbn": "",
        "online_url": "",
        "part_of": "",
        "translation_of": "",
        "notes": "Written in *Mexico*.",
        "contributions-TOTAL_FORMS": "2",
        "contributions-INITIAL_FORMS": "0",
        "contributions-MIN_NUM_FORMS": "0",
        "contributions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_an_editor_adds_a_work_with_two_contributors(admin_client):
    serge = make_person(name="Victor Serge")
    sedgwick = make_person(name="Peter Sedgwick")

    response = admin_client.post(
        reverse("admin:works_work_add"),
        work_form(**{
            "contributions-0-person": str(serge.pk),
            "contributions-0-role": "author",
            "contributions-0-order": "0",
            "contributions-1-person": str(sedgwick.pk),
            "contributions-1-role": "translator",
            "contributions-1-order": "1",
        }),
    )  # fmt: skip

    assert response.status_code == 302
    work = Work.objects.get(slug="memoirs-of-a-revolutionary")
    assert work.year_written_end == 1943
    assert work.notes_html == "<p>Written in <em>Mexico</em>.</p>"
    assert list(work.contributions.values_list("person__name", "role")) == [
        ("Victor Serge", "author"),
        ("Peter Sedgwick", "translator"),
    ]


def test_the_add_form_refuses_a_last_year_of_writing_before_the_first(admin_client):
    response = admin_client.post(
        reverse("admin:works_work_add"),
        work_form(
            year_written="1943", year_written_end="1942", **{"contributions-TOTAL_FORMS": "0"}
        ),
    )

    assert response.status_code == 200
    assert "cannot come before it" in response.text
    assert not Work.objects.exists()


def test_the_add_form_refuses_an_english_edition_before_the_first_edition(admin_client):
    response = admin_client.post(
        reverse("admin:works_work_add"),
        work_form(year_published_english="1950", **{"contributions-TOTAL_FORMS": "0"}),
    )

    assert response.status_code == 200
    assert "The first English edition cannot come before" in response.text
    assert not Work.objects.exists()


def test_the_change_form_refuses_a_loop_of_parts(admin_client):
    book = make_work(title="A book")
    chapter = make_work(title="A chapter", part_of=book)
    data = work_form(
        title="A book",
        slug=book.slug,
        part_of=str(chapter.pk),
        **{"contributions-TOTAL_FORMS": "0"},
    )

    response = admin_client.post(reverse("admin:works_work_change", args=[book.pk]), data)

    assert response.status_code == 200
    assert "That would make a loop of works." in response.text
    book.refresh_from_db()
    assert book.part_of is None


def test_the_add_form_uses_autocomplete_and_groups_fields(admin_client):
    response = admin_client.get(reverse("admin:works_work_add"))

    assert response.status_code == 200
    headings = re.findall(r'<h2[^>]*class="fieldset-heading">([^<]*)</h2>', response.text)
    assert headings == ["Title", "Original", "Dates", "Publication", "Related works", "Notes"]
    for field in ("part_of", "translation_of", "contributions-0-person"):
        assert re.search(rf'<select name="{field}"[^>]*class="admin-autocomplete', response.text)
    assert 'data-markdownx-urls-path="/admin/markdownx/markdownify/"' in response.text


def test_the_changelist_search_finds_works_by_contributor_and_original_title(admin_client):
    koestler = make_person(name="Arthur Koestler")
    make_work(title="Darkness at Noon", original_title="Sonnenfinsternis", authors=[koestler])
    make_work(title="Nineteen Eighty-Four")
    url = reverse("admin:works_work_changelist")

    by_person = admin_client.get(url, {"q": "koestler"})
    by_original = admin_client.get(url, {"q": "sonnenfinsternis"})

    assert [w.title for w in by_person.context["cl"].result_list] == ["Darkness at Noon"]
    assert [w.title for w in by_original.context["cl"].result_list] == ["Darkness at Noon"]


def test_the_changelist_shows_year_and_authors(admin_client):
    serge = make_person(name="Victor Serge")
    make_work(title="Men in Prison", year_published=1930, authors=[serge])

    response = admin_client.get(reverse("admin:works_work_changelist"))

    assert '<td class="field-year">1930</td>' in response.text
    assert '<td class="field-authors">Victor Serge</td>' in response.text


def test_the_changelist_filters_by_decade_kind_and_language(admin_client):
    make_work(title="Men in Prison", year_published=1930, kind="novel", original_language="fr")
    make_work(title="Resistance", year_written=1935, kind="poems", original_language="fr")
    make_work(title="Nineteen Eighty-Four", year_published=1949, kind="novel")
    url = reverse("admin:works_work_changelist")

    def titles(query):
        response = admin_client.get(url, query)
        assert response.status_code == 200
        return sorted(w.title for w in response.context["cl"].result_list)

    assert titles({"decade": "1930"}) == ["Men in Prison", "Resistance"]
    assert titles({"kind__exact": "novel", "language": "fr"}) == ["Men in Prison"]
    assert titles({"decade": "abc"}) == ["Men in Prison", "Nineteen Eighty-Four", "Resistance"]


def test_the_changelist_costs_the_same_queries_for_2_or_20_works(admin_client):
    def fill(start, stop):
        for n in range(start, stop):
            make_work(
                title=f"Work {n}", year_published=1900 + n, authors=[make_person(name=f"A {n}")]
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("admin:works_work_changelist")).status_code == 200
        return len(queries)

    fill(0, 2)
    small = count()
    fill(2, 20)
    assert count() == small


def test_view_on_site_leads_to_the_work_page(admin_client):
    work = make_work(title="Conquered City", slug="conquered-city")
    content_type = ContentType.objects.get_for_model(Work)

    response = admin_client.get(reverse("admin:view_on_site", args=[content_type.pk, work.pk]))

    assert response.status_code == 302
    assert response.url.endswith("/works/conquered-city/")


def test_the_autocomplete_used_by_other_admins_finds_works(admin_client):
    make_work(title="Darkness at Noon", original_title="Sonnenfinsternis")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "works", "model_name": "work", "field_name": "part_of", "term": "sonnen"},
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Darkness at Noon"]


def test_a_contribution_keeps_its_person_from_being_deleted(admin_client):
    serge = make_person(name="Victor Serge")
    make_work(title="Men in Prison", authors=[serge])

    response = admin_client.post(
        reverse("admin:people_person_delete", args=[serge.pk]), {"post": "yes"}
    )

    assert response.status_code == 200
    assert "protected" in response.text.lower()
    assert Contribution.objects.filter(person=serge).exists()
