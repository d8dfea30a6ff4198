import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from sergesite.redirects import add_old_address
from sergesite.views import server_error
from tests.factories import make_essay, make_person, make_section, make_work

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.django_db
def test_the_home_page_shows_the_welcome_intro_and_latest_essays(client):
    make_section(slug="welcome", title="Welcome", intro="Essays on the **history of the left**.")
    make_essay(title="The Dissident Marxism of Victor Serge")
    make_essay(title="Not yet", published=False)

    response = client.get(reverse("home"))
    content = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Welcome</h1>" in content
    assert "<strong>history of the left</strong>" in content
    assert "The Dissident Marxism of Victor Serge" in content
    assert "Not yet" not in content


@pytest.mark.django_db
def test_the_home_page_works_before_any_content_exists(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert b"No essays here yet." in response.content


@pytest.mark.django_db
def test_every_page_has_the_landmarks_and_the_search_box(client):
    content = client.get(reverse("home")).content.decode()

    assert '<a class="skip-link" href="#content">' in content
    assert '<main id="content"' in content
    assert 'aria-label="Main"' in content
    assert 'role="search"' in content
    assert 'name="q"' in content
    # The CSP forbids inline script and style: every script is a file or a data block.
    assert "style=" not in content
    for tag in re.findall(r"<script[^>]*>", content):
        assert ' src="/static/' in tag or 'type="application/ld+json"' in tag


@pytest.mark.django_db
def test_the_sitemap_page_leads_to_every_section_the_latest_essays_people_and_works(client):
    section = make_section(title="Socialist history")
    make_essay(title="Published essay", section=section)
    make_essay(title="Draft essay", section=section, published=False)
    make_person(name="Victor Serge", sort_name="Serge, Victor")
    make_work(title="Conquered City")

    response = client.get(reverse("sitemap"))
    content = response.content.decode()

    for text in ("Socialist history", "(1 essay)", "Published essay", "All works</a>"):
        assert text in content
    assert "Draft essay" not in content
    assert f'href="{reverse("people:index")}?letter=S"' in content
    assert f'href="{reverse("works:index")}"' in content


@pytest.mark.django_db
def test_the_sitemap_page_stays_the_same_size_as_the_site_grows(
    client, uncached_pages, django_assert_max_num_queries
):
    section = make_section(title="Socialist history")
    for number in range(40):
        make_essay(title=f"Essay {number}", section=section)
        make_person(name=f"Person {number}", sort_name=f"Person {number}")
    client.get(reverse("sitemap"))

    with django_assert_max_num_queries(4):
        content = client.get(reverse("sitemap")).content.decode()

    assert content.count('href="/essays/') == 30
    assert "Person 1<" not in content


@pytest.mark.django_db
def test_the_xml_sitemap_lists_published_essays_only(client):
    published = make_essay(title="Out")
    draft = make_essay(title="Draft", published=False)
    scheduled = make_essay(published_at=timezone.now() + datetime.timedelta(days=2))

    # /sitemap.xml is an index; the essays have their own pages.
    response = client.get(reverse("sitemap-section", args=["essays"]))
    locations = {
        node.text for node in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)
    }

    assert response.status_code == 200
    assert f"http://testserver{published.get_absolute_url()}" in locations
    assert f"http://testserver{draft.get_absolute_url()}" not in locations
    assert f"http://testserver{scheduled.get_absolute_url()}" not in locations


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    text = response.content.decode()

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


@pytest.mark.django_db
def test_an_unknown_address_gets_a_friendly_not_found_page(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'name="robots" content="noindex"' in response.content


@pytest.mark.django_db
def test_an_old_site_address_redirects_permanently_to_its_essay(client):
    essay = make_essay()
    add_old_address("/serge.html", essay)

    response = client.get("/serge.html")

    assert response.status_code == 301
    assert response["Location"] == essay.get_absolute_url()


@pytest.mark.django_db
def test_an_old_address_of_a_draft_does_not_redirect(client):
    add_old_address("/secret.html", make_essay(published=False))

    assert client.get("/secret.html").status_code == 404


def test_the_error_page_renders_without_the_database():
    # No django_db mark: pytest-django makes any query here raise.
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"/static/css/site.css" in response.content


@pytest.mark.django_db
def test_a_crash_in_a_view_shows_the_error_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("essays.views.Paginator.get_page", broken)
    client.raise_request_exception = False

    response = client.get(make_section().get_absolute_url())

    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/sections/%00/",
        "/essays/%00/",
        "/essays/a%00b/cite.bib",
        "/essays/%FF/",
        "/tags/%00/",
        "/tags/%C3%A9t%00/",
        "/old%00page.html",
        "/essays/" + "x" * 500 + "/",
        "/tags/" + "é" * 300 + "/",
        "/?page=abc",
        "/feed/?page=-1",
    ],
)
def test_strange_addresses_never_cause_a_server_error(client, url):
    assert client.get(url).status_code in {200, 301, 404}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_reader_pages_refuse_writes(client, method):
    essay = make_essay()

    assert getattr(client, method)(essay.get_absolute_url()).status_code == 405


def test_the_error_page_renders_even_without_a_static_manifest(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = settings.MEDIA_ROOT  # an empty folder: no manifest

    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "label"),
    [("people:index", "People"), ("works:index", "Works"), ("sitemap", "Sitemap")],
)
def test_the_menu_marks_the_page_being_read(client, url_name, label):
    url = reverse(url_name)

    content = client.get(url).content.decode()

    assert f'<a href="{url}" aria-current="page">{label}</a>' in content


@pytest.mark.django_db
def test_on_an_essay_the_menu_marks_its_section_as_current(client):
    section = make_section(title="Research")
    essay = make_essay(section=section)

    content = client.get(essay.get_absolute_url()).content.decode()

    assert f'<a href="{section.get_absolute_url()}" aria-current="true">Research</a>' in content
