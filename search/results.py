"""Running a reader's search: matches, a few typo-tolerant name hits, facets, snippets."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator

from sergesite.numbers import parse_int

from . import registry
from .engines import Filters, get_engine
from .models import Document
from .query import MIN_LENGTH, Query, clean, parse

PER_PAGE = 20
TAG_FACETS = 15
# Misspelled-name hits are only offered when nothing matched a name or title,
# and only this many, ahead of the full-text hits.
FUZZY_LIMIT = 5
# Longer queries are not names; the trigram lookup would only add noise.
FUZZY_MAX_WORDS = 4
# A word found this often is a real word, not a misspelled name.
FUZZY_MAX_HITS = 50
# "Every hit", for the admin's search.
MAX_HITS = 10**9
# A larger page number fetches the first page's ids; Paginator then shows the
# last page, whose ids _Matches fetches when it is read.
MAX_PAGE = 999_999


@dataclass
class Hit:
    document: Document
    snippet: list = field(default_factory=list)  # [(text, is_match), ...]
    fuzzy: bool = False

    def __getattr__(self, name):
        return getattr(self.document, name)


def _split_snippet(text):
    parts, marked = [], False
    for piece in text.replace("\x03", "\x02").split("\x02"):
        if piece:
            parts.append((piece, marked))
        marked = not marked
    return parts


class _Matches:
    """What Paginator needs: a length, and slices that fetch one page of hits."""

    def __init__(self, engine, query, filters, total, ordered_ids, fuzzy_ids):
        self.engine, self.query, self.filters, self.total = engine, query, filters, total
        # The first ids only, up to the end of the page asked for.
        self.ordered_ids, self.fuzzy_ids = ordered_ids, fuzzy_ids

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, page_slice):
        if page_slice.stop > len(self.ordered_ids) and len(self.ordered_ids) < self.total:
            # Paginator answers a page number past the end with the last
            # page, which may lie beyond the ids fetched for the number asked.
            self.ordered_ids = self.engine.hits(self.query, self.filters, page_slice.stop).ids
        ids = self.ordered_ids[page_slice]
        documents = Document.objects.defer("body", "other_names", "tags").in_bulk(ids)
        snippets = self.engine.snippets(self.query, [pk for pk in ids if pk not in self.fuzzy_ids])
        return [
            Hit(documents[pk], _split_snippet(snippets.get(pk, "")), pk in self.fuzzy_ids)
            for pk in ids
            if pk in documents
        ]


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class Results:
    text: str = ""
    problem: str = ""
    total: int = 0
    page: object = None
    facets: dict = field(default_factory=dict)
    truncated: bool = False
    fuzzy: bool = False


def _facets(counts):
    labels = dict(registry.kind_choices())
    return {
        "kind": [Facet(k, labels[k], counts.kind[k]) for k in labels if counts.kind[k]],
        "section": [
            Facet(slug, title, n)
            for (slug, title), n in sorted(counts.section.items(), key=lambda i: (-i[1], i[0][1]))
        ],
        "tag": [Facet(slug, name, n) for slug, name, n in counts.top_tags(TAG_FACETS)],
        "decade": [Facet(str(d), f"{d}s", n) for d, n in sorted(counts.decade.items())],
    }


def search(raw_text, *, filters=None, page=1, record=None):
    """The reader's search. record(text) is called when a proper query finds nothing."""
    filters = filters or Filters()
    text = clean(raw_text)
    results = Results(text=text, truncated=len(" ".join(raw_text.split())) > len(text))
    query = parse(text)
    if not text:
        return results
    if len(text) < MIN_LENGTH or not query:
        results.problem = "short" if len(text) < MIN_LENGTH else "no-words"
        return results
    engine = get_engine()
    with engine.session():
        _run(results, engine, query, filters, page)
    if not results.total and record:
        record(text)
    return results


def _first(page):
    """How many ids, best first, the page asked for needs: those up to its end."""
    number = parse_int(page, default=1, minimum=1, maximum=MAX_PAGE)
    # Never fewer than every hit of a search small enough for misspelled-name
    # hits, which go in front of the others.
    return max(number * PER_PAGE, FUZZY_MAX_HITS + 1)


def _run(results, engine, query, filters, page):
    # One scan of the index gives the total, the facet counts and the ids up
    # to the end of the page; only that page's documents are then read.
    counts = engine.hits(query, filters, _first(page))
    total = counts.total
    simple = query.is_simple and len(query.groups) <= FUZZY_MAX_WORDS
    extras = []
    if simple and total <= FUZZY_MAX_HITS and not engine.has_name_match(query, filters):
        extras = [pk for pk, _ in engine.fuzzy(query, filters, FUZZY_LIMIT)]
    if extras:
        extra_rows = Document.objects.filter(pk__in=extras).values_list(
            "id", "kind", "section", "section_title", "decade", "tag_slugs"
        )
        by_pk = {row[0]: row[1:] for row in extra_rows}
        extras = [pk for pk in extras if pk in by_pk]
        found = set(counts.ids)
        for pk in extras:
            if pk not in found:
                counts.add(*by_pk[pk])
        counts.ids = extras + [pk for pk in counts.ids if pk not in by_pk]
        total = len(counts.ids)
    results.total = total
    results.fuzzy = bool(extras)
    results.facets = _facets(counts)
    matches = _Matches(engine, query, filters, total, counts.ids, set(extras))
    results.page = Paginator(matches, PER_PAGE).get_page(page)
    # The page's hits are fetched now, while the engine's session holds.
    results.page.object_list = list(results.page.object_list)


def matching_ids(raw_text, *, kind):
    """For the admin: every match of one kind, drafts and scheduled essays included."""
    query = parse(clean(raw_text))
    if not query:
        return []
    engine = get_engine()
    filters = Filters(kind=kind, public=False)
    with engine.session():
        ids = engine.hits(query, filters, MAX_HITS).ids
        if not ids and query.is_simple:
            ids = [pk for pk, _ in engine.fuzzy(query, filters, 50)]
    return list(Document.objects.filter(pk__in=ids).values_list("object_id", flat=True))


def suggestions(raw_text, limit=8):
    engine = get_engine()
    with engine.session():
        ids = engine.suggest(clean(raw_text), limit, registry.suggested_kinds())
    documents = Document.objects.in_bulk(ids)
    return [
        {"label": documents[pk].title, "url": documents[pk].url, "kind": documents[pk].kind}
        for pk in ids
    ]


__all__ = ["Filters", "Query", "search", "matching_ids", "suggestions"]
