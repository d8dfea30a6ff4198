"""
Whole pages cached for anonymous readers (sergesite/page_cache.py): served
from the cache, never stale after a save, bypassed by anyone with a
session, and answered with 304 when the browser has the page already.

Every test runs against the file cache (the default without Redis) and
against Redis, which production uses.
"""

import datetime
import os
import time

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from essays.models import Essay, Section
from sergesite import page_cache
from tests.factories import make_essay, make_person, make_section

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_answers():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


@pytest.fixture(autouse=True, params=["file", "redis"])
def backend(request, settings, tmp_path):
    if request.param == "redis":
        if not _redis_answers():
            if os.environ.get("CI") == "true":
                pytest.fail(f"Redis is not answering at {REDIS_URL}; CI needs it.")
            pytest.skip(f"Redis is not answering at {REDIS_URL}")
        settings.CACHES = {
            "default": {
                "BACKEND": "sergesite.redis_cache.RedisCache",
                "LOCATION": REDIS_URL,
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    caches["default"].clear()
    yield request.param
    caches["default"].clear()


@pytest.fixture
def essay(db):
    return make_essay(title="Year One of the Russian Revolution", body="Petrograd, 1918.")


def test_a_reader_gets_the_second_view_of_a_page_from_the_cache(
    client, essay, django_assert_num_queries
):
    first = client.get(essay.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get(essay.get_absolute_url())

    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_save_in_the_admin_shows_at_once_on_every_page_that_lists_the_essay(
    client, admin_client, essay
):
    pages = [
        essay.get_absolute_url(),
        "/",
        essay.section.get_absolute_url(),
        reverse("essays:feed"),
    ]
    for url in pages:
        client.get(url)
    for url in pages:
        assert client.get(url)["X-Page-Cache"] == "hit"

    section = essay.section
    response = admin_client.post(
        reverse("admin:essays_section_change", args=[section.pk]),
        {
            "title": "Soviet history",
            "slug": section.slug,
            "intro": "",
            "menu_order": 0,
            "show_in_menu": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Section.objects.get(pk=section.pk).title == "Soviet history"

    for url in pages[:3]:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Soviet history" in response.content.decode()


def test_renaming_a_person_refreshes_the_essays_that_name_them(client, db):
    person = make_person(name="Victor Serge")
    essay = make_essay(title="On the Memoirs", body="Serge wrote in Mexico.", people=[person])
    assert "Victor Serge" in client.get(essay.get_absolute_url()).content.decode()
    assert client.get(essay.get_absolute_url())["X-Page-Cache"] == "hit"

    person.name = "Victor Lvovich Kibalchich"
    person.save()

    response = client.get(essay.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Victor Lvovich Kibalchich" in response.content.decode()


def test_a_deleted_essay_is_gone_from_the_cached_pages(client, essay):
    assert client.get(essay.get_absolute_url()).status_code == 200
    client.get("/")
    url = essay.get_absolute_url()

    essay.delete()

    assert client.get(url).status_code in (404, 410)
    assert "Year One of the Russian Revolution" not in client.get("/").content.decode()


def test_an_essay_scheduled_for_later_appears_when_its_time_comes_without_a_save(
    client, db, monkeypatch
):
    section = make_section(title="Letters")
    make_essay(title="Already out", section=section)
    later = timezone.now() + datetime.timedelta(hours=2)
    make_essay(title="Due in two hours", section=section, published_at=later)

    assert "Due in two hours" not in client.get(section.get_absolute_url()).content.decode()
    assert client.get(section.get_absolute_url())["X-Page-Cache"] == "hit"

    # Three hours on, with no save in between.
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(hours=3))
    real_time = time.time
    monkeypatch.setattr(page_cache.time, "time", lambda: real_time() + 3 * 60 * 60)

    response = client.get(section.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "Due in two hours" in response.content.decode()


def test_a_reader_with_a_session_or_a_signed_in_editor_always_gets_a_fresh_page(
    client, admin_client, essay
):
    client.get(essay.get_absolute_url())
    client.cookies["sessionid"] = "anything"
    assert "X-Page-Cache" not in client.get(essay.get_absolute_url())

    assert "X-Page-Cache" not in admin_client.get(essay.get_absolute_url())
    assert "X-Page-Cache" not in admin_client.get(essay.get_absolute_url())


def test_a_draft_previewed_by_an_editor_is_never_shown_to_readers(client, admin_client, db):
    draft = make_essay(title="Unfinished", published=False)
    assert admin_client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_pages_with_a_form_or_a_search_are_built_for_each_request(client, essay):
    for url in (reverse("feedback:form"), reverse("search") + "?q=petrograd"):
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response, url


def test_the_csrf_cookie_alone_does_not_keep_a_reader_from_cached_pages(client, essay):
    client.get(reverse("feedback:form"))
    assert "csrftoken" in client.cookies
    client.get(essay.get_absolute_url())
    assert client.get(essay.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_reader_with_cookies_the_site_does_not_read_gets_the_cached_page(client, essay):
    # As an analytics script, a consent banner or a CDN leaves them.
    client.cookies["_ga"] = "GA1.1.123.456"
    client.cookies["cookie_consent"] = "accepted"
    client.get(essay.get_absolute_url())

    assert client.get(essay.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_reader_with_a_message_waiting_gets_a_page_built_for_them(client, essay):
    client.get(essay.get_absolute_url())
    client.cookies["messages"] = "a-signed-list-of-messages"

    assert "X-Page-Cache" not in client.get(essay.get_absolute_url())


def test_a_change_just_after_the_generation_was_lost_still_starts_a_new_one(db):
    # Inside a transaction (as every test runs), as after a Redis restart.
    caches["default"].clear()
    first = page_cache.current()["token"]

    page_cache.changed()

    assert page_cache.current()["token"] != first


class _Recording:
    """The cache, noting the keys written."""

    def __init__(self, cache, writes):
        self._cache, self._writes = cache, writes

    def __getattr__(self, name):
        return getattr(self._cache, name)

    def set(self, key, *args, **kwargs):
        self._writes.append(key)
        return self._cache.set(key, *args, **kwargs)


def test_a_reader_only_reads_the_generation_a_save_started(client, db, monkeypatch):
    # The generation knows the next scheduled publication from its start, so
    # a reader never writes it back over a newer one a save just started.
    later = timezone.now() + datetime.timedelta(hours=2)
    make_essay(title="Due in two hours", published_at=later)
    assert page_cache.current()["next_change"] == pytest.approx(later.timestamp())
    writes = []
    monkeypatch.setattr(page_cache, "cache", _Recording(page_cache.cache, writes))

    client.get("/")
    client.get("/")

    assert page_cache.GENERATION_KEY not in writes


def _reading_from_a_replica(monkeypatch):
    monkeypatch.setattr(page_cache, "replicas", lambda: ["replica_1"])
    monkeypatch.setattr(page_cache, "reads_on_primary", lambda: False)


def test_pages_read_from_a_lagging_replica_just_after_a_change_are_not_kept(
    client, essay, monkeypatch
):
    _reading_from_a_replica(monkeypatch)
    page_cache.changed()
    client.get(essay.get_absolute_url())

    assert "X-Page-Cache" not in client.get(essay.get_absolute_url())
    page_cache.keep(client.get("/").wsgi_request, "count:test", 7)
    assert page_cache.recall(client.get("/").wsgi_request, "count:test") is None

    real_time = time.time
    monkeypatch.setattr(
        page_cache.time, "time", lambda: real_time() + page_cache.REPLICA_SETTLE_SECONDS + 1
    )
    client.get(essay.get_absolute_url())
    assert client.get(essay.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_browser_that_has_the_page_gets_304_until_the_page_changes(client, essay):
    first = client.get(essay.get_absolute_url())
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "must-revalidate" in first["Cache-Control"]

    assert client.get(essay.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(essay.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    Essay.objects.get(pk=essay.pk).save()  # any save: the page may have changed
    essay.title = "Year Two of the Russian Revolution"
    essay.save()

    again = client.get(essay.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert "Year Two" in again.content.decode()
    stale_date = http_date(time.time() - 3600)
    assert (
        client.get(essay.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=stale_date).status_code == 200
    )


def test_a_head_request_is_answered_from_the_cache_without_a_body(client, essay):
    client.get(essay.get_absolute_url())
    response = client.head(essay.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b""


def test_the_menu_is_read_from_the_cache_until_a_section_changes(client, db):
    make_section(title="Interviews", show_in_menu=True)
    essay = make_essay(title="A talk")
    assert "Interviews" in client.get(essay.get_absolute_url()).content.decode()

    Section.objects.create(title="Reviews", slug="reviews", show_in_menu=True)

    assert "Reviews" in client.get("/").content.decode()
