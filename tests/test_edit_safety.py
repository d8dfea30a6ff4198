"""Two editors saving the same record: the later save over a newer version is refused."""

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essays.models import Essay, Section
from people.models import Person
from tests.factories import make_essay, make_person, make_section, make_work
from works.models import Work

pytestmark = pytest.mark.django_db


def open_form(client, obj):
    """What the browser would send back for the change form as it was loaded."""
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content)
    form = page.get_element_by_id(f"{obj._meta.model_name}_form")
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    data["_continue"] = ["Save and continue editing"]
    return url, data


def save(client, url, data, **changes):
    return client.post(url, {**data, **{name: [value] for name, value in changes.items()}})


@pytest.fixture
def other_editor(client):
    user = get_user_model().objects.create_superuser(
        "rosmer", "rosmer@example.org", "unused", first_name="Alfred", last_name="Rosmer"
    )
    client.force_login(user)
    return client


def test_the_change_form_carries_the_version_it_was_loaded_from(admin_client):
    essay = make_essay(title="Memoirs")

    url, data = open_form(admin_client, essay)

    assert data["edit_version"][0]
    assert data["title"] == ["Memoirs"]


def test_a_save_with_no_other_save_in_between_goes_through(admin_client):
    essay = make_essay(title="Memoirs", body="First draft.")
    url, data = open_form(admin_client, essay)

    response = save(admin_client, url, data, body="Second draft.")

    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.body == "Second draft."


def test_the_second_of_two_saves_from_the_same_version_is_refused(admin_client, other_editor):
    essay = make_essay(title="Memoirs", body="The original.")
    url, first = open_form(other_editor, essay)
    _, second = open_form(admin_client, essay)

    assert save(other_editor, url, first, body="Rosmer's version.").status_code == 302
    response = save(admin_client, url, second, body="My version.")

    assert response.status_code == 200
    essay.refresh_from_db()
    assert essay.body == "Rosmer's version."
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1
    assert "This essay changed after you opened it: Alfred Rosmer saved it on" in errors[0]


def test_the_refusal_keeps_the_editors_text_and_links_to_the_history(admin_client, other_editor):
    essay = make_essay(title="Memoirs", body="The original.")
    url, first = open_form(other_editor, essay)
    _, second = open_form(admin_client, essay)
    save(other_editor, url, first, body="Rosmer's version.")

    response = save(admin_client, url, second, body="My version, 50,000 characters of it.")

    page = lxml.html.fromstring(response.content)
    # As a browser does, drop the newline the template puts after <textarea>.
    body = page.get_element_by_id("id_body").value.removeprefix("\n")
    assert body == "My version, 50,000 characters of it."
    history = reverse("admin:essays_essay_history", args=[essay.pk])
    links = page.xpath("//ul[contains(@class, 'errorlist')]//a")
    assert [(link.text, link.get("href")) for link in links] == [
        ("Compare with the history (in a new tab)", history)
    ]


def test_saving_again_after_reading_the_refusal_replaces_the_other_version(
    admin_client, other_editor
):
    essay = make_essay(title="Memoirs", body="The original.")
    url, first = open_form(other_editor, essay)
    _, second = open_form(admin_client, essay)
    save(other_editor, url, first, body="Rosmer's version.")
    refused = lxml.html.fromstring(save(admin_client, url, second, body="Mine.").content)
    token = refused.get_element_by_id("id_edit_version").get("value")

    response = save(admin_client, url, second, body="Mine.", edit_version=token)

    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.body == "Mine."


def test_a_save_outside_the_admin_is_reported_with_its_time(admin_client):
    essay = make_essay(title="Memoirs", body="The original.")
    url, data = open_form(admin_client, essay)
    essay.body = "Changed by an import."
    essay.save()

    response = save(admin_client, url, data, body="Mine.")

    assert response.status_code == 200
    assert "This essay changed after you opened it: It was saved again on" in response.text
    essay.refresh_from_db()
    assert essay.body == "Changed by an import."


def test_the_check_locks_the_record_until_the_save_is_written(admin_client):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite locks the whole database when the admin's transaction begins")
    essay = make_essay(title="Memoirs")
    url, data = open_form(admin_client, essay)

    with CaptureQueriesContext(connection) as queries:
        assert save(admin_client, url, data, body="Mine.").status_code == 302

    locks = [
        query["sql"]
        for query in queries
        if query["sql"].startswith('SELECT "essays_essay"."updated_at"')
        and query["sql"].endswith("FOR UPDATE")
    ]
    assert len(locks) == 1


def test_a_forged_or_borrowed_version_is_refused(admin_client):
    essay = make_essay(title="Memoirs", body="The original.")
    other = make_essay(title="Conquered City")
    url, data = open_form(admin_client, essay)
    _, borrowed = open_form(admin_client, other)

    forged = save(admin_client, url, data, body="Mine.", edit_version="2999-01-01T00:00:00")
    swapped = save(admin_client, url, data, body="Mine.", edit_version=borrowed["edit_version"][0])

    for response in (forged, swapped):
        assert response.status_code == 200
        assert "This form was damaged or belongs to another record" in response.text
    essay.refresh_from_db()
    assert essay.body == "The original."


@pytest.mark.parametrize(
    "make, change",
    [
        (lambda: make_section(title="Research"), {"title": "Studies"}),
        (lambda: make_person(name="Victor Serge"), {"description": "Writer"}),
        (lambda: make_work(title="Midnight in the Century"), {"subtitle": "A novel"}),
    ],
    ids=["section", "person", "work"],
)
def test_sections_people_and_works_refuse_a_save_over_a_newer_version(
    admin_client, other_editor, make, change
):
    obj = make()
    url, first = open_form(other_editor, obj)
    _, second = open_form(admin_client, obj)

    assert save(other_editor, url, first, **change).status_code == 302
    response = save(admin_client, url, second, **{key: "Mine" for key in change})

    assert response.status_code == 200
    assert "changed after you opened it: Alfred Rosmer saved it on" in response.text
    obj.refresh_from_db()
    assert [getattr(obj, key) for key in change] == list(change.values())


def test_a_post_without_a_version_is_saved_as_before(admin_client):
    section = make_section(title="Research")
    url, data = open_form(admin_client, section)
    del data["edit_version"]

    response = save(admin_client, url, data, title="Studies")

    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).title == "Studies"


def test_the_add_forms_carry_no_version(admin_client):
    for model in (Essay, Section, Person, Work):
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        response = admin_client.get(add)
        assert response.status_code == 200
        assert "edit_version" not in response.text


def test_a_viewer_without_the_change_permission_sees_the_record(client):
    viewer = get_user_model().objects.create_user("reader", password="unused", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_essay"))
    client.force_login(viewer)
    essay = make_essay(title="Memoirs")

    response = client.get(reverse("admin:essays_essay_change", args=[essay.pk]))

    assert response.status_code == 200
    assert "Memoirs" in response.text
    assert "edit_version" not in response.text


def test_the_change_forms_load_the_edit_safety_script_and_styles(admin_client):
    essay = make_essay(title="Memoirs")

    response = admin_client.get(reverse("admin:essays_essay_change", args=[essay.pk]))

    assert '<script src="/static/js/edit-safety.js"' in response.text
    assert 'href="/static/css/edit-safety.css"' in response.text
