"""
The Redis cache (sergesite/redis_cache.py) keeps one client per server
instead of building one for every read, and otherwise behaves as Django's.
"""

import os

import pytest
from django.core.cache import caches

from tests.test_page_cache import REDIS_URL, _redis_answers


@pytest.fixture
def redis_cache(settings):
    if not _redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not answering at {REDIS_URL}; CI needs it.")
        pytest.skip(f"Redis is not answering at {REDIS_URL}")
    settings.CACHES = {
        "default": {"BACKEND": "sergesite.redis_cache.RedisCache", "LOCATION": REDIS_URL}
    }
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def test_reads_and_writes_go_through_one_client_kept_for_the_server(redis_cache):
    backend = redis_cache._cache
    redis_cache.set("essay:1", {"title": "Year One"})
    redis_cache.set_many({"a": 1, "b": 2})

    assert redis_cache.get("essay:1") == {"title": "Year One"}
    assert redis_cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert redis_cache.incr("a") == 2
    assert backend.get_client() is backend.get_client(write=True)
    assert len(backend._clients) == 1


def test_a_deleted_key_is_gone_for_every_later_read(redis_cache):
    redis_cache.set("menu", ["Research"])
    assert redis_cache.delete("menu") is True

    assert redis_cache.get("menu") is None
    assert redis_cache.add("menu", ["Essays"]) is True
    assert redis_cache.get("menu") == ["Essays"]
