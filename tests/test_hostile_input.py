"""
Hostile values for every public address and query parameter: no answer may be
a server error.

Nothing here is a hand-kept list of pages or parameters, so a page or a
parameter added later is covered from then on:

- the addresses are the URL patterns, walked from the resolver (the admin's
  aside); each part of a path is drawn from what its converter accepts, from
  the real values the demo site links to, or from hostile text;
- the query parameters of a page are the names its view reads, found by
  asking the page with a request.GET that records every name looked up, plus
  those its links carry (search facets, page numbers, filters).

HOSTILE_EXAMPLES sets how many requests each address gets (default 200 under
CI=true, 50 otherwise).
"""

import html
import io
import os
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIRequest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_IN_CI = os.environ.get("CI", "").lower() == "true"
settings.register_profile(
    "hostile-input",
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES") or (200 if _IN_CI else 50)),
    deadline=None,
    database=None,  # nothing written into the working tree; a failure prints its example
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
EXAMPLES = settings.get_profile("hostile-input")

# Not public: staff only, and covered by their own tests.
PRIVATE_PREFIXES = ("admin/",)

# Text that int() or str.isdigit() read differently from a reader, or that
# overflows a database integer.
NUMBER_LIKE = [
    "0", "-1", "-0", "+1", "01", " 1", "1\n", "1.5", "1e3", "0x1f", "1_000", "NaN", "inf",
    "9" * 19, "9" * 400, "-" + "9" * 25, "²", "³⁴", "①", "⑳", "⒈", "➀", "Ⅻ", "١٩٣٠", "۱۹۳۰",
    "१९३०", "１９３０", "𝟏𝟗",
]  # fmt: skip
# Text that has broken slug, query and template handling somewhere, some time.
NASTY = [
    "", " ", "\x00", "a\x00b", "%00", "%", "%25", "'", '"', "' OR 1=1 --", "1; DROP TABLE x",
    "\\", "/", "//evil.example", "http://evil.example/", "../../etc/passwd",
    "<script>alert(1)</script>", "{{ 7*7 }}", "${7*7}", "\u202e", "\ufeff", "\u200b", "\r\n",
    "🙂", "ǅ", "İ", "ß", "ﬁ", "x" * 5000, "[]", "{}", "null", "None", "true",
]  # fmt: skip

hostile_text = st.one_of(
    st.sampled_from(NUMBER_LIKE),
    # Numerals of every script, superscripts and circled digits among them.
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4),
    st.sampled_from(NASTY),
    st.integers().map(str),
    st.text(max_size=40),
)


# --- The addresses --------------------------------------------------------------

_PART = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


@dataclass
class Target:
    route: str  # "essays/<uslug:slug>/", the whole route from the root
    name: str  # "essays:detail", or the route when the pattern has no name
    converters: dict  # part name -> converter
    real_paths: list = field(default_factory=list)  # of {part name: value}
    parameters: dict = field(default_factory=dict)  # name -> [real values]

    def path(self, values):
        parts = iter(_PART.split(self.route))
        built = [next(parts)]
        for name, text in zip(parts, parts, strict=True):
            built += [quote(values[name], safe=""), text]
        return "/" + "".join(built)


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else route
            yield route, name, dict(getattr(entry.pattern, "converters", {}))


def public_targets():
    targets = {}
    for route, name, converters in _walk(get_resolver()):
        # A regex pattern (re_path) would need its own path builder: none is public yet.
        if route.startswith(PRIVATE_PREFIXES) or "^" in route or route in targets:
            continue
        targets[route] = Target(route, name, converters)
    return list(targets.values())


TARGETS = public_targets()


# --- What the demo site links to -----------------------------------------------


_SELECT = re.compile(r'<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', re.DOTALL)
_OPTION = re.compile(r'<option[^>]*\bvalue="([^"]*)"')


def _links(url, text):
    """The site's own links on a page, and the choices of its forms' menus as links."""
    for href in re.findall(r'href="([^"]+)"', text):
        link = urlsplit(urljoin(url, html.unescape(href)))
        if not link.scheme.startswith("http") or link.netloc == "testserver":
            yield link._replace(scheme="", netloc="", fragment="")
    for name, options in _SELECT.findall(text):
        for value in _OPTION.findall(options):
            yield urlsplit(url)._replace(
                query=urlencode({html.unescape(name): html.unescape(value)})
            )


def crawl(client, start, per_name=4, limit=250):
    """Real path values and query values of each URL name, from the site's own links."""
    paths, values = defaultdict(list), defaultdict(lambda: defaultdict(set))
    queue, seen = deque(start), set()
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in _links("http://testserver" + url, response.content.decode(errors="replace")):
            if link.path.lstrip("/").startswith(PRIVATE_PREFIXES):
                continue
            try:
                match = resolve(link.path)
            except Resolver404:
                continue
            name = match.view_name or match.route
            query = parse_qsl(link.query, keep_blank_values=True)
            # A page is worth opening for a new path value or a parameter not seen yet.
            new_parameter = {key for key, _ in query} - set(values[name])
            for key, value in query:
                values[name][key].add(value)
            kwargs = {key: str(value) for key, value in match.kwargs.items()}
            new_path = kwargs not in paths[name] and len(paths[name]) < per_name
            if new_path:
                paths[name].append(kwargs)
            if new_path or new_parameter:
                queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return paths, values


class _RecordingQueryDict(QueryDict):
    read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def parameters_read(client, path, known, monkeypatch):
    """The query parameter names a page's view looks up, given some it is known to take."""

    def recording_get(request):
        if "_recording_get" not in request.__dict__:
            query = request.environ.get("QUERY_STRING", "")
            request.__dict__["_recording_get"] = _RecordingQueryDict(query)
        return request.__dict__["_recording_get"]

    read = set()
    monkeypatch.setattr(_RecordingQueryDict, "read", read)
    with monkeypatch.context() as patched:
        patched.setattr(WSGIRequest, "GET", property(recording_get))
        # A view may read some names only once others are given: ask until nothing new.
        for _ in range(4):
            before = set(read)
            given_values = {
                name: sorted(known.get(name, {"serge"}))[0] for name in read | set(known)
            }
            client.get(path, given_values)
            if read == before:
                break
    return read


@pytest.fixture(scope="module")
def targets(django_db_setup, django_db_blocker):
    # Loading and walking the demo site takes seconds, so it happens once for
    # this module, inside a transaction rolled back at the end; each test runs
    # in a savepoint within it (the db fixture).
    # Before the function-scoped fixtures of tests/conftest.py: no static manifest here either.
    plain_static = override_settings(
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    )
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        plain_static,
        pytest.MonkeyPatch.context() as mp,
    ):
        call_command("load_demo", stdout=io.StringIO())
        client = Client()
        start = ["/", reverse("sitemap"), reverse("search") + "?q=serge", reverse("years:index")]
        paths, values = crawl(client, start)
        for target in TARGETS:
            target.real_paths = paths.get(target.name, [])
            known = {key: sorted(found) for key, found in values.get(target.name, {}).items()}
            if target.converters and not target.real_paths:
                target.parameters = known
                continue
            path = target.path(target.real_paths[0]) if target.converters else target.path({})
            read = parameters_read(client, path, known, mp)
            target.parameters = {name: known.get(name, []) for name in read | set(known)}
        yield {target.route: target for target in TARGETS}
        transaction.set_rollback(True)


def test_the_walk_finds_the_public_pages_and_their_parameters(targets, db):
    # If this fails, the discovery below has stopped seeing the site, and the
    # property test with it.
    search = targets["search/"]
    assert {"q", "page", "kind", "section", "tag", "decade"} <= set(search.parameters)
    assert {"author", "kind", "page"} <= set(targets["works/"].parameters)
    assert "q" in targets["search/suggest/"].parameters
    assert targets["essays/<uslug:slug>/"].real_paths
    assert targets["years/<year:year>/"].real_paths
    assert not any(route.startswith("admin/") for route in targets)


# --- The property ---------------------------------------------------------------


def _path_values(target):
    parts = {}
    for name, converter in target.converters.items():
        real = [values[name] for values in target.real_paths]
        choices = [st.from_regex(converter.regex, fullmatch=True), hostile_text]
        if real:
            choices.insert(0, st.sampled_from(real))
        parts[name] = st.one_of(*choices)
    return st.fixed_dictionaries(parts)


def _several(value):
    return st.one_of(value, st.lists(value, min_size=2, max_size=3))


@st.composite
def _query(draw, target):
    """One parameter with a hostile value, any others with real or hostile ones."""
    if not target.parameters:
        return {}
    query = {}
    for name, real in target.parameters.items():
        value = st.one_of(st.sampled_from(real), hostile_text) if real else hostile_text
        if draw(st.booleans()):
            query[name] = draw(_several(value))
    focus = draw(st.sampled_from(sorted(target.parameters)))
    query[focus] = draw(_several(hostile_text))
    return query


@pytest.mark.parametrize("route", [target.route for target in TARGETS])
def test_no_hostile_value_makes_a_public_page_fail(targets, route, db):
    target = targets[route]
    client = Client()

    @EXAMPLES
    @given(path_values=_path_values(target), query=_query(target=target))
    def check(path_values, query):
        path = target.path(path_values)
        # Each request in a savepoint: one that broke the transaction would
        # otherwise fail every request after it.
        with transaction.atomic():
            response = client.get(path, query)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{path}?{urlencode(query, doseq=True)}"

    check()
