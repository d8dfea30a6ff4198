"""
Whole pages for anonymous readers, kept in the shared cache and never stale.

Every cached page is stored under the site's current *generation*: a token
that changes whenever anything a reader can see changes (a save or delete of
an essay, section, person, work, tag, redirect or the site settings; see
`changed` and siteinfo.apps), and when a scheduled essay's publication time
passes. A page stored under an old generation is never looked up again and
ages out of the cache.

Why one site-wide generation instead of precise keys per page: a single save
reaches many pages (an essay's title is on its section list, the home page,
the menu, feeds, the sitemap, and the pages of every person and work it
mentions, each of those through several relations). Listing them exactly is
easy to get wrong, and a wrong list means a reader sees stale text. Editors
save a few times an hour while readers make thousands of requests, so
emptying everything at each save costs little: each page is rebuilt once, at
its next view.

Who gets a cached page: GET and HEAD requests that carry neither the
session cookie nor the messages cookie. Staff, editors and anyone with a
session or a message waiting always get a freshly built page. Other cookies
(the CSRF token, or those an analytics script, a consent banner or a CDN
set on the domain) change nothing the site builds, so their bearers share
the cached pages. What is stored: 200
responses that set no cookie, use no CSRF token, and are not marked private
or no-store (search results, previews and forms are built for each request).

Cached pages carry an ETag and a Last-Modified (the moment of the last
change), and ask browsers to check back every time, so that the
ConditionalGetMiddleware in front answers 304 and a browser never shows an
old page either.
"""

import hashlib
import threading
import time
import uuid

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, split_directive_names

from sergesite.db_router import reads_on_primary, replicas

GENERATION_KEY = "pages:generation"
# Django's cookie for messages waiting to be shown (CookieStorage, the first
# of FallbackStorage's two stores); the session cookie's name is a setting.
MESSAGES_COOKIE = CookieStorage.cookie_name
# A generation started inside a transaction does not know the next
# scheduled publication: readers work it out (see _bump()).
UNKNOWN = "unknown"
# A read replica follows its primary a moment behind. In a generation's
# first seconds a replica may still show rows from before the change that
# started it, so nothing read there is kept under the new token.
REPLICA_SETTLE_SECONDS = 10
_NOT_STORED_DIRECTIVES = {"private", "no-store", "no-cache"}


def _timeout():
    return settings.PAGE_CACHE_SECONDS


def _next_scheduled_change():
    # Imported here: the essays app imports this module to announce changes.
    from essays.models import Essay

    moment = Essay.objects.next_publication()
    return moment.timestamp() if moment else None


# Per thread: has this thread read the generation since it last changed it?
_seen = threading.local()


def _bump():
    # Outside a transaction (and in the bump every commit makes) the next
    # scheduled publication is worked out now, so readers only ever read the
    # generation. Inside one, the rows it wrote are not yet everyone's, and
    # readers work it out (current()).
    in_transaction = transaction.get_connection().in_atomic_block
    generation = {
        "token": uuid.uuid4().hex,
        "changed_at": time.time(),
        "next_change": UNKNOWN if in_transaction else _next_scheduled_change(),
    }
    cache.set(GENERATION_KEY, generation, None)
    _seen.since_bump = False


def changed(**kwargs):
    """
    Something readers can see has changed: start a new generation.

    Inside a transaction the generation changes at once and again at commit.
    The change at commit is what matters to readers: one who rebuilt a page
    in between read the old rows, and stored them under a generation that
    the commit retires. The change at once lets what runs inside the
    transaction itself (a test, whose transaction never commits) see each
    change.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()
        return
    # Only this thread can see what the transaction wrote, so a second
    # change before it reads a page again needs no new token: an import
    # saving an essay with its tags, authors and old address bumps once.
    if getattr(_seen, "since_bump", True):
        _bump()
    if not any(func is _bump for _, func, _ in connection.run_on_commit):
        transaction.on_commit(_bump)


def current():
    """The generation: {"token", "changed_at", "next_change"}."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Never set, or lost with the cache: the pages stored before are
        # unreachable too, so this is a clean start.
        _bump()
        generation = cache.get(GENERATION_KEY) or {}
    next_change = generation.get("next_change")
    if next_change == UNKNOWN:
        next_change = _next_change_of(generation["token"])
        generation = {**generation, "next_change": next_change}
    if next_change is not None and next_change <= time.time():
        # A scheduled essay went live: everything that lists essays changed.
        _bump()
        return current()
    # Set last: starting a generation above clears it, yet this thread has
    # now read the one it returns, and its next change must start another.
    _seen.since_bump = True
    return generation


def _next_change_of(token):
    # Kept beside the generation, never written into it: a reader writing
    # the generation back could undo a newer one that a commit started
    # meanwhile, and serve pages built from the rows before it.
    key = f"pages:next:{token}"
    found = cache.get(key)
    if found is None:
        found = {"at": _next_scheduled_change()}
        cache.set(key, found, _timeout() or 60)
    return found["at"]


def for_request(request):
    """The generation, read once per request."""
    generation = getattr(request, "_page_generation", None)
    if generation is None:
        generation = request._page_generation = current()
    return generation


def _kept_key(request, name):
    return f"pages:{for_request(request)['token']}:{name}"


def recall(request, name):
    """What keep() stored under name since the last change, or None."""
    return cache.get(_kept_key(request, name))


def keep(request, name, value):
    """Store value under name until the next change: no save can leave it stale."""
    if _may_keep(request):
        cache.set(_kept_key(request, name), value, _timeout() or 60)


def _may_keep(request):
    """False while what this request reads may predate the generation (REPLICA_SETTLE_SECONDS)."""
    if reads_on_primary() or not replicas():
        return True
    return time.time() - for_request(request)["changed_at"] >= REPLICA_SETTLE_SECONDS


def remember(request, name, compute):
    """compute(), kept in the cache until the next change."""
    found = recall(request, name)
    if found is None:
        found = compute()
        keep(request, name, found)
    return found


def _may_use_cache(request):
    if not _timeout() or request.method not in ("GET", "HEAD"):
        return False
    # A session or a waiting message makes the page somebody's own.
    personal = {settings.SESSION_COOKIE_NAME, MESSAGES_COOKIE}
    return personal.isdisjoint(request.COOKIES)


def _may_store(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a token or sets a cookie for this visitor alone
    directives = set(split_directive_names(response.get("Cache-Control", "")))
    return not directives & _NOT_STORED_DIRECTIVES and "*" not in response.get("Vary", "")


def _key(request, generation):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"pages:{generation['token']}:{digest}"


def _mark_cacheable(response, generation):
    # A view that dates its page itself (the sitemap) knows better.
    if not response.has_header("ETag"):
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{digest}"'
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(generation["changed_at"])
    # Browsers and shared caches may keep the page, but must ask first,
    # unless the view chose a lifetime of its own.
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        generation = for_request(request)
        key = _key(request, generation)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _may_store(request, response) and _may_keep(request):
            _mark_cacheable(response, generation)
            headers = [(name, value) for name, value in response.items()]
            cache.set(key, (response.status_code, headers, response.content), _timeout())
            response["X-Page-Cache"] = "miss"
        return response
