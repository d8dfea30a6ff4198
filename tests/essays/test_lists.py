import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_essay, make_section

pytestmark = pytest.mark.django_db

BAD_PAGES = ["abc", "-1", "0", "99999999999999999999", "1.5", "", "%00", "1e3"]


def test_a_section_page_shows_its_intro_and_published_essays(client):
    section = make_section(title="Anti Nazi League", intro="About the **League**.")
    make_essay(title="Rock Against Racism", section=section)
    make_essay(title="Unfinished", section=section, published=False)
    make_essay(title="Somewhere else")

    response = client.get(section.get_absolute_url())
    content = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Anti Nazi League</h1>" in content
    assert "About the <strong>League</strong>." in content
    assert "Rock Against Racism" in content
    assert "Unfinished" not in content
    assert "Somewhere else" not in content


def test_a_section_page_marks_itself_current_in_the_menu(client):
    section = make_section(title="Research")

    content = client.get(section.get_absolute_url()).content.decode()

    assert f'<a href="{section.get_absolute_url()}" aria-current="page">Research</a>' in content


def test_the_menu_lists_sections_in_menu_order_then_the_fixed_pages(client):
    make_section(title="Research", menu_order=3)
    make_section(title="Welcome", menu_order=1)
    make_section(title="Hidden", menu_order=2, show_in_menu=False)

    content = client.get(reverse("home")).content.decode()
    menu = content[content.index('aria-label="Main"') :]

    order = [menu.index(label) for label in ("Welcome", "Research", ">People<", ">Feedback<")]
    assert order == sorted(order)
    assert "Hidden" not in menu


def test_a_section_is_paginated(client):
    section = make_section()
    for number in range(25):
        make_essay(title=f"Essay number {number}", section=section)

    first = client.get(section.get_absolute_url()).content.decode()
    second = client.get(section.get_absolute_url(), {"page": "2"}).content.decode()

    assert first.count('class="essay-list__title"') == 20
    assert second.count('class="essay-list__title"') == 5
    assert "Page 2 of 2" in second


def test_a_sections_pages_follow_an_essay_published_or_withdrawn_since_the_last_view(
    client, uncached_pages, django_assert_num_queries
):
    section = make_section()
    essays = [make_essay(title=f"Essay number {n}", section=section) for n in range(20)]
    assert 'class="pagination"' not in client.get(section.get_absolute_url()).content.decode()

    # Counted once per change: the next view reads the section and its page of essays.
    with django_assert_num_queries(3):
        client.get(section.get_absolute_url())

    make_essay(title="The twenty-first", section=section)
    second = client.get(section.get_absolute_url(), {"page": "2"}).content.decode()
    assert "Page 2 of 2" in second

    essays[0].status = essays[0].Status.DRAFT
    essays[0].save()
    only = client.get(section.get_absolute_url(), {"page": "2"}).content.decode()
    assert 'class="pagination"' not in only
    assert only.count('class="essay-list__title"') == 20


def test_a_tag_withdrawn_from_its_last_published_essay_is_not_found_at_once(client, uncached_pages):
    essay = make_essay(tags=["exile"])
    assert client.get(reverse("essays:tag", args=["exile"])).status_code == 200

    essay.status = essay.Status.DRAFT
    essay.save()

    assert client.get(reverse("essays:tag", args=["exile"])).status_code == 404


@pytest.mark.parametrize("page", BAD_PAGES)
def test_a_bad_page_number_on_a_section_never_breaks_it(client, page):
    section = make_section()
    make_essay(section=section)

    assert client.get(section.get_absolute_url(), {"page": page}).status_code == 200


@pytest.mark.parametrize("page", BAD_PAGES)
def test_a_bad_page_number_on_a_tag_never_breaks_it(client, page):
    make_essay(tags=["exile"])

    assert client.get(reverse("essays:tag", args=["exile"]), {"page": page}).status_code == 200


def test_an_unknown_section_is_not_found(client):
    assert client.get(reverse("essays:section", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize("name", ["троцкий", "été", "Left Opposition"])
def test_a_tag_page_lists_its_essays_whatever_the_script(client, name):
    essay = make_essay(title="Tagged essay", tags=[name])
    make_essay(title="Untagged essay")
    tag = essay.tags.get()

    response = client.get(reverse("essays:tag", args=[tag.slug]))

    assert response.status_code == 200
    assert "Tagged essay" in response.content.decode()
    assert "Untagged essay" not in response.content.decode()
    assert name in response.content.decode()


def test_unicode_tag_slugs_keep_their_letters(client):
    essay = make_essay(tags=["Троцкий", "Été"])

    assert sorted(essay.tags.values_list("slug", flat=True)) == ["été", "троцкий"]
    assert client.get("/tags/%D1%82%D1%80%D0%BE%D1%86%D0%BA%D0%B8%D0%B9/").status_code == 200


def test_a_tag_used_only_on_drafts_is_not_found(client):
    make_essay(published=False, tags=["secret plans"])

    assert client.get(reverse("essays:tag", args=["secret-plans"])).status_code == 404


def test_an_unknown_tag_is_not_found(client):
    assert client.get(reverse("essays:tag", args=["no-such-tag"])).status_code == 404


def test_the_feeds_list_published_essays_only(client):
    make_essay(title="Out now", summary="A summary <b>with</b> markup.")
    make_essay(title="Still a draft", published=False)
    make_essay(title="Next week", published_at=timezone.now() + datetime.timedelta(days=7))

    for name in ("essays:feed", "essays:feed-atom"):
        response = client.get(reverse(name))
        ET.fromstring(response.content)  # well-formed XML
        assert response.status_code == 200
        assert b"Out now" in response.content
        assert b"Still a draft" not in response.content
        assert b"Next week" not in response.content
        assert b"<b>with</b>" not in response.content


def test_a_tag_made_only_of_punctuation_does_not_break_the_essay_page(client):
    essay = make_essay(tags=["!!!", "?"])

    response = client.get(essay.get_absolute_url())

    assert response.status_code == 200
    assert "!!!" in response.content.decode()
