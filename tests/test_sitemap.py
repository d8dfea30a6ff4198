import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from essays.models import Essay
from people.models import Person
from sergesite import sitemaps
from tests.factories import make_essay, make_person, make_section, make_work

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uncached_pages")]

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
URLSET = "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
INDEX = "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"


def _get_xml(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def _lastmods(root):
    """{address: lastmod or None} of a <urlset>."""
    return {
        node.findtext("s:loc", namespaces=NS): node.findtext("s:lastmod", namespaces=NS)
        for node in root.findall("s:url", NS)
    }


def _local(url):
    # The path of an address from the sitemap, for the test client.
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _every_address(client, **extra):
    """Every address the sitemap gives, following the index if there is one."""
    root = _get_xml(client, reverse("sitemap-xml"), **extra)
    if root.tag == URLSET:
        return _lastmods(root), []
    assert root.tag == INDEX
    pages = [node.text for node in root.findall("s:sitemap/s:loc", NS)]
    found = {}
    for page in pages:
        found.update(_lastmods(_get_xml(client, _local(page), **extra)))
    return found, pages


@pytest.fixture
def site():
    section = make_section(title="Exile", slug="exile")
    person = make_person(name="Victor Serge", birth_date=datetime.date(1890, 12, 30))
    work = make_work(title="Conquered City", year_published=1932, authors=[person])
    old = make_essay(title="Older", section=section)
    new = make_essay(title="Newer", section=section)
    make_essay(title="A draft", section=section, published=False)
    return {"section": section, "person": person, "work": work, "essays": [old, new]}


def test_the_sitemap_lists_the_home_and_index_pages_and_every_section(client, site):
    found, _ = _every_address(client)

    for path in ("/", "/people/", "/works/", "/years/", "/years/1890/", "/sections/exile/"):
        assert f"http://testserver{path}" in found, path


def _days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def _day(days_ago):
    # As the sitemap writes a lastmod: the date in the site's time zone.
    return f"{timezone.localtime(_days_ago(days_ago)):%Y-%m-%d}"


def test_index_pages_are_dated_by_the_newest_thing_they_list(client, site):
    # update() leaves auto_now alone, so each kind gets its own date.
    Essay.objects.update(updated_at=_days_ago(40), published_at=_days_ago(30))
    Essay.objects.filter(title="A draft").update(updated_at=_days_ago(1))
    Person.objects.update(updated_at=_days_ago(20))
    type(site["work"]).objects.update(updated_at=_days_ago(10))

    found, _ = _every_address(client)

    def lastmod(path):
        return found[f"http://testserver{path}"]

    assert lastmod("/") == _day(30)
    assert lastmod("/people/") == _day(20)
    assert lastmod("/works/") == _day(10)
    assert lastmod("/years/") == _day(10)


def test_a_section_is_dated_by_its_intro_or_its_newest_published_essay(client, site):
    section = make_section(title="Quiet", slug="quiet")
    essay = make_essay(section=section)
    make_essay(section=section, published=False)  # a draft saved today
    Essay.objects.filter(pk=essay.pk).update(updated_at=_days_ago(50), published_at=_days_ago(40))
    type(section).objects.filter(pk=section.pk).update(updated_at=_days_ago(60))

    assert _every_address(client)[0]["http://testserver/sections/quiet/"] == (_day(40))

    type(section).objects.filter(pk=section.pk).update(updated_at=_days_ago(5))
    assert _every_address(client)[0]["http://testserver/sections/quiet/"] == (_day(5))


def test_drafts_and_scheduled_essays_stay_out_of_the_sitemap(client, site):
    scheduled = make_essay(published_at=timezone.now() + datetime.timedelta(days=2))

    found, _ = _every_address(client)

    assert f"http://testserver{scheduled.get_absolute_url()}" not in found
    assert not any(address.endswith("/a-draft/") for address in found)
    for essay in site["essays"]:
        assert f"http://testserver{essay.get_absolute_url()}" in found


def test_the_sitemap_is_always_an_index_of_one_page_per_kind_while_each_fits(client, site):
    root = _get_xml(client, reverse("sitemap-xml"))

    assert root.tag == INDEX
    pages = [node.text for node in root.findall("s:sitemap/s:loc", NS)]
    assert pages == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("pages", "sections", "essays", "people", "works", "years")
    ]


def test_a_sitemap_page_holds_at_most_ten_thousand_addresses():
    assert all(cls.limit == 10_000 for cls in sitemaps.SITEMAPS.values())


def test_a_kind_past_the_limit_is_split_into_pages_that_hold_every_address(
    client, site, monkeypatch
):
    whole, _ = _every_address(client)
    make_person(name="Boris Souvarine")
    make_person(name="Karl Korsch")
    whole_now, _ = _every_address(client)
    monkeypatch.setattr(sitemaps.HostSitemap, "limit", 2)

    found, pages = _every_address(client)

    assert found == whole_now
    assert len(whole_now) == len(whole) + 2
    assert "http://testserver/sitemap-essays.xml" in pages
    assert "http://testserver/sitemap-people.xml?p=2" in pages
    assert "http://testserver/sitemap-people.xml?p=3" not in pages
    assert "http://testserver/sitemap-pages.xml?p=2" in pages
    assert len(pages) == len(set(pages))
    for page in pages:
        assert len(_get_xml(client, _local(page)).findall("s:url", NS)) <= 2, page


def test_the_years_page_lists_every_year_of_a_span_of_writing(client, site):
    make_work(title="Memoirs", year_written=1942, year_written_end=1944, year_published=1951)
    make_person(name="Natalia Sedova", death_date=datetime.date(1962, 1, 23))

    root = _get_xml(client, reverse("sitemap-section", args=["years"]))

    years = [urlsplit(node.text).path for node in root.findall("s:url/s:loc", NS)]
    assert years == [f"/years/{year}/" for year in (1890, 1932, 1942, 1943, 1944, 1951, 1962)]


def test_the_index_is_dated_and_stays_on_the_host_it_was_asked_on(
    client, site, settings, monkeypatch
):
    settings.ALLOWED_HOSTS = ["www.serge.test"]
    monkeypatch.setattr(sitemaps.HostSitemap, "limit", 2)

    response = client.get(reverse("sitemap-xml"), HTTP_HOST="www.serge.test")
    found, pages = _every_address(client, HTTP_HOST="www.serge.test")

    root = ET.fromstring(response.content)
    assert root.tag == INDEX
    assert "example.com" not in response.content.decode()
    assert all(page.startswith("http://www.serge.test/sitemap-") for page in pages)
    assert all(address.startswith("http://www.serge.test/") for address in found)
    essays = root.find("s:sitemap[s:loc='http://www.serge.test/sitemap-essays.xml']", NS)
    assert essays.findtext("s:lastmod", namespaces=NS)


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap-nothing.xml",
        "/sitemap-essays.xml?p=9",
        "/sitemap-essays.xml?p=٢",
        "/sitemap.xml?p=3",
    ],
)
def test_an_unknown_sitemap_or_page_is_not_found(client, site, url):
    assert client.get(url).status_code == 404


def test_past_the_last_page_of_the_index_is_not_found(client, site, monkeypatch):
    monkeypatch.setattr(sitemaps.HostSitemap, "limit", 2)

    assert client.get(reverse("sitemap-xml") + "?p=2").status_code == 404


def _queries(client, url):
    client.get(url)  # the menu and the cache generation, read once per change
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _grow(count, section):
    for number in range(count):
        make_essay(title=f"Essay {number}", section=section)
        make_person(name=f"Person {number}")
        make_work(title=f"Work {number}")
        make_section(title=f"Section {number}")


def test_the_sitemap_and_its_index_make_the_same_number_of_queries_as_the_site_grows(
    client, monkeypatch
):
    section = make_section()
    _grow(2, section)
    names = ("pages", "sections", "essays", "people", "works", "years")
    urls = [reverse("sitemap-xml")] + [reverse("sitemap-section", args=[name]) for name in names]
    few = [_queries(client, url) for url in urls]
    monkeypatch.setattr(sitemaps.HostSitemap, "limit", 1)
    few_split = [_queries(client, url + "?p=2") for url in urls[2:6]]
    monkeypatch.undo()

    _grow(18, section)

    assert [_queries(client, url) for url in urls] == few
    assert max(few) <= 4
    monkeypatch.setattr(sitemaps.HostSitemap, "limit", 1)
    assert [_queries(client, url + "?p=2") for url in urls[2:6]] == few_split


def test_every_address_is_the_one_its_page_answers_at_unicode_slugs_too(client, site):
    essay = make_essay(title="Сергей", slug="виктор-серж")

    found, _ = _every_address(client)

    address = f"http://testserver{essay.get_absolute_url()}"
    assert address in found
    assert client.get(_local(address)).status_code == 200
    assert f"http://testserver{site['person'].get_absolute_url()}" in found
    assert f"http://testserver{site['work'].get_absolute_url()}" in found


def test_a_sitemap_page_is_dated_and_kept_out_of_search_results(client, site):
    changed = _days_ago(3)
    Person.objects.update(updated_at=changed)

    response = client.get(reverse("sitemap-section", args=["people"]))

    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert response["Last-Modified"] == http_date(changed.timestamp())
    root = ET.fromstring(response.content)
    assert [node.findtext("s:lastmod", namespaces=NS) for node in root] == [_day(3)]
