import pytest
from django.urls import reverse

from essays.models import Essay, Section
from tests.factories import make_essay, make_person, make_section, make_work
from tests.xss_payloads import find_executable_markup

pytestmark = pytest.mark.django_db


def _add_form(section, **overrides):
    data = {
        "title": "The Dissident Marxism of Victor Serge",
        "slug": "dissident-marxism",
        "section": section.pk,
        "author": "David Renton",
        "summary": "Serge and the Left Opposition.",
        "body": "## Brussels\n\nSerge was born in *Brussels*.[^1]\n\n"
        "<script>alert(1)</script>[bad](javascript:alert(1))\n\n[^1]: In 1890.",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "tags": "Left Opposition, Троцкий",
        "old_addresses": "",
    }
    data.update(overrides)
    return data


def test_an_essay_added_in_the_admin_is_published_with_sanitized_html(admin_client, client):
    section = make_section(title="Socialist history")

    response = admin_client.post(reverse("admin:essays_essay_add"), _add_form(section))

    assert response.status_code == 302
    essay = Essay.objects.get(slug="dissident-marxism")
    assert essay.published_at is not None
    assert {tag.name for tag in essay.tags.all()} == {"Left Opposition", "Троцкий"}
    page = client.get(essay.get_absolute_url()).content.decode()
    assert "Serge was born in <em>Brussels</em>." in page
    assert 'href="#fn:1"' in page
    assert find_executable_markup(essay.body_html) == []
    assert "alert(1)</script>" not in page


def test_the_admin_links_people_and_works_to_an_essay(admin_client):
    section = make_section()
    serge = make_person(name="Victor Serge")
    memoirs = make_work(title="Memoirs of a Revolutionary")

    admin_client.post(
        reverse("admin:essays_essay_add"),
        _add_form(section, people=[serge.pk], works=[memoirs.pk], part_of=memoirs.pk),
    )

    essay = Essay.objects.get()
    assert list(essay.people.all()) == [serge]
    assert list(essay.works.all()) == [memoirs]
    assert essay.part_of == memoirs


def test_the_essay_form_uses_the_markdown_editor_and_autocomplete(admin_client):
    content = admin_client.get(reverse("admin:essays_essay_add")).content.decode()

    assert 'class="markdownx"' in content
    assert 'data-markdownx-urls-path="/admin/markdownx/markdownify/"' in content
    assert "admin-autocomplete" in content
    assert 'name="people"' in content


def test_the_people_autocomplete_finds_a_person_by_another_name(admin_client):
    make_person(name="Leon Trotsky", other_names=["Bronstein"])

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Bronst", "app_label": "essays", "model_name": "essay", "field_name": "people"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Leon Trotsky"]


def test_the_essay_list_can_be_searched_and_filtered(admin_client):
    make_essay(title="On Serge", tags=["exile"])
    make_essay(title="On Korsch", published=False)
    url = reverse("admin:essays_essay_changelist")

    assert admin_client.get(url).status_code == 200
    searched = admin_client.get(url, {"q": "Korsch"}).content.decode()
    assert "On Korsch" in searched and "On Serge" not in searched
    drafts = admin_client.get(url, {"status__exact": "draft"}).content.decode()
    assert "On Korsch" in drafts and "On Serge" not in drafts
    tagged = admin_client.get(url, {"tags__id__exact": Essay.tags.through.objects.get().tag_id})
    assert tagged.status_code == 200


def test_the_publish_action_publishes_drafts_and_dates_them(admin_client, client):
    draft = make_essay(published=False)

    admin_client.post(
        reverse("admin:essays_essay_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    draft.refresh_from_db()
    assert draft.status == Essay.Status.PUBLISHED
    assert draft.published_at is not None
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_the_unpublish_action_hides_an_essay_from_readers(admin_client, client):
    essay = make_essay()

    admin_client.post(
        reverse("admin:essays_essay_changelist"),
        {"action": "unpublish", "_selected_action": [essay.pk]},
    )

    essay.refresh_from_db()
    assert essay.status == Essay.Status.DRAFT
    assert client.get(essay.get_absolute_url()).status_code == 404


def test_view_on_site_leads_staff_to_a_preview_of_a_draft(admin_client):
    draft = make_essay(title="Not ready", published=False)
    change = admin_client.get(reverse("admin:essays_essay_change", args=[draft.pk]))
    content = change.content.decode()
    start = content.index('class="viewsitelink"')
    view_on_site = content[content.rindex("href=", 0, start) :].split('"')[1]

    response = admin_client.get(view_on_site, follow=True)

    assert response.redirect_chain[-1][0].endswith(draft.get_absolute_url())
    assert b"Not ready" in response.content
    assert b"Preview." in response.content


def test_section_menu_order_can_be_edited_in_the_list(admin_client):
    first = make_section(title="Welcome", menu_order=1)
    second = make_section(title="Research", menu_order=2)

    response = admin_client.post(
        reverse("admin:essays_section_changelist"),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "2",
            "form-0-id": first.pk,
            "form-0-menu_order": "5",
            "form-0-show_in_menu": "on",
            "form-1-id": second.pk,
            "form-1-menu_order": "3",
            "form-1-show_in_menu": "on",
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    assert list(Section.objects.in_menu().values_list("title", flat=True)) == [
        "Research",
        "Welcome",
    ]


def test_a_section_added_in_the_admin_renders_its_intro(admin_client, client):
    admin_client.post(
        reverse("admin:essays_section_add"),
        {
            "title": "Anti Nazi League",
            "slug": "anti-nazi-league",
            "menu_order": "2",
            "show_in_menu": "on",
            "intro": "Essays on the **League**. <img src=x onerror=alert(1)>",
        },
    )

    page = client.get(reverse("essays:section", args=["anti-nazi-league"])).content.decode()
    assert "Essays on the <strong>League</strong>." in page
    assert "onerror" not in page
