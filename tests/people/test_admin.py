import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from people.models import OtherName, Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def person_form(**overrides):
    data = {
        "name": "Victor Serge",
        "sort_name": "Serge, Victor",
        "slug": "victor-serge",
        "description": "novelist and revolutionary",
        "birth_date": "1890-12-30",
        "birth_precision": "day",
        "birth_place": "Brussels",
        "death_date": "1947-11-17",
        "death_precision": "day",
        "death_place": "Mexico City",
        "wikidata": "Q310151",
        "viaf": "",
        "biography": "Born in *Brussels*.",
        "other_names-TOTAL_FORMS": "2",
        "other_names-INITIAL_FORMS": "0",
        "other_names-MIN_NUM_FORMS": "0",
        "other_names-MAX_NUM_FORMS": "1000",
        "other_names-0-name": "Viktor Lvovich Kibalchich",
        "other_names-0-kind": "birth",
        "other_names-0-note": "",
        "other_names-1-name": "Le Rétif",
        "other_names-1-kind": "pen",
        "other_names-1-note": "in the anarchist press",
    }
    data.update(overrides)
    return data


def test_an_editor_adds_a_person_with_two_other_names(admin_client):
    response = admin_client.post(reverse("admin:people_person_add"), person_form())

    assert response.status_code == 302
    person = Person.objects.get(slug="victor-serge")
    assert person.birth_date == datetime.date(1890, 12, 30)
    assert person.biography_html == "<p>Born in <em>Brussels</em>.</p>"
    assert sorted(person.other_names.values_list("name", "kind")) == [
        ("Le Rétif", OtherName.Kind.PEN),
        ("Viktor Lvovich Kibalchich", OtherName.Kind.BIRTH),
    ]


def test_the_add_form_refuses_a_death_before_birth(admin_client):
    response = admin_client.post(
        reverse("admin:people_person_add"), person_form(death_date="1880-01-01")
    )

    assert response.status_code == 200
    assert "The date of death is before the date of birth." in response.text
    assert not Person.objects.exists()


def test_the_add_form_refuses_a_malformed_wikidata_id(admin_client):
    response = admin_client.post(reverse("admin:people_person_add"), person_form(wikidata="310151"))

    assert response.status_code == 200
    assert "A Wikidata ID looks like Q123." in response.text
    assert not Person.objects.exists()


def test_the_add_form_refuses_the_same_other_name_twice(admin_client):
    response = admin_client.post(
        reverse("admin:people_person_add"),
        person_form(**{"other_names-1-name": "Viktor Lvovich Kibalchich"}),
    )

    assert response.status_code == 200
    assert not Person.objects.exists()


def test_the_add_form_groups_fields_for_an_editor_with_a_markdown_preview(admin_client):
    response = admin_client.get(reverse("admin:people_person_add"))

    assert response.status_code == 200
    headings = re.findall(r'<h2[^>]*class="fieldset-heading">([^<]*)</h2>', response.text)
    assert headings == ["Names", "Life", "Identifiers", "Biography"]
    assert 'class="vLargeTextField markdownx-editor"' in response.text
    assert 'data-markdownx-urls-path="/admin/markdownx/markdownify/"' in response.text


def test_the_changelist_search_finds_a_person_by_an_other_name(admin_client):
    make_person(name="Victor Serge", other_names=["Kibaltchiche", "Viktor Kibalchich"])
    make_person(name="Leon Trotsky", other_names=["Bronstein"])

    response = admin_client.get(reverse("admin:people_person_changelist"), {"q": "kibal"})

    assert response.status_code == 200
    # Two matching other names, one person: no duplicate rows.
    assert [p.name for p in response.context["cl"].result_list] == ["Victor Serge"]


def test_the_changelist_shows_lifespan_and_the_number_of_other_names(admin_client):
    make_person(
        name="Karl Korsch",
        birth_date=datetime.date(1886, 1, 1),
        death_date=datetime.date(1961, 1, 1),
        other_names=["K. Korsch", "Carl Korsch"],
    )

    response = admin_client.get(reverse("admin:people_person_changelist"))

    assert "1886–1961" in response.text
    assert '<td class="field-other_name_count">2</td>' in response.text


def test_the_changelist_filters_by_century_of_birth(admin_client):
    make_person(name="Clara Zetkin", birth_date=datetime.date(1857, 1, 1))
    make_person(name="Tony Cliff", birth_date=datetime.date(1917, 1, 1))
    make_person(name="Richard Greeman")

    url = reverse("admin:people_person_changelist")
    nineteenth = admin_client.get(url, {"born": "1800"})
    unknown = admin_client.get(url, {"born": "unknown"})
    nonsense = admin_client.get(url, {"born": "abc"})

    assert [p.name for p in nineteenth.context["cl"].result_list] == ["Clara Zetkin"]
    assert [p.name for p in unknown.context["cl"].result_list] == ["Richard Greeman"]
    assert nonsense.status_code == 200


def test_the_changelist_filters_by_whether_a_biography_is_written(admin_client):
    make_person(name="Emma Goldman", biography="An anarchist writer.")
    make_person(name="James Burnham")

    response = admin_client.get(reverse("admin:people_person_changelist"), {"biography": "no"})

    assert [p.name for p in response.context["cl"].result_list] == ["James Burnham"]


def test_view_on_site_leads_to_the_person_page(admin_client):
    person = make_person(name="Emma Goldman", slug="emma-goldman")
    content_type = ContentType.objects.get_for_model(Person)

    response = admin_client.get(reverse("admin:view_on_site", args=[content_type.pk, person.pk]))

    assert response.status_code == 302
    assert response.url.endswith("/people/emma-goldman/")


def test_the_autocomplete_used_by_other_admins_finds_people_by_other_names(admin_client):
    make_person(name="Leon Trotsky", other_names=["Lev Davidovich Bronstein"])

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "works",
            "model_name": "contribution",
            "field_name": "person",
            "term": "bronstein",
        },
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Leon Trotsky"]
