"""Running a reader's search: matches, a few typo-tolerant name hits, facets, snippets."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator

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
    """What Paginator needs: a length, and slices that run one query each."""

    def __init__(self, engine, query, filters, extras, total):
        self.engine, self.query, self.filters = engine, query, filters
        self.extras, self.total = extras, total

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, page_slice):
        start, stop = page_slice.start or 0, page_slice.stop
        ids = [pk for pk, _ in self.extras[start:stop]]
        fuzzy_ids = set(ids)
        skip = max(0, start - len(self.extras))
        wanted = stop - start - len(ids)
        if wanted > 0:
            ids += self.engine.page(self.query, self.filters, wanted, skip)
        documents = Document.objects.defer("body", "other_names", "tags").in_bulk(ids)
        snippets = self.engine.snippets(self.query, [pk for pk in ids if pk not in fuzzy_ids])
        return [
            Hit(documents[pk], _split_snippet(snippets.get(pk, "")), pk in fuzzy_ids)
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


def _facets(cube, tag_rows):
    kinds, sections, decades = {}, {}, {}
    for kind, section, section_title, decade, count in cube:
        kinds[kind] = kinds.get(kind, 0) + count
        if section:
            sections[(section, section_title)] = sections.get((section, section_title), 0) + count
        if decade is not None:
            decades[decade] = decades.get(decade, 0) + count
    labels = dict(Document.Kind.choices)
    return {
        "kind": [Facet(k, labels[k], kinds[k]) for k in labels if k in kinds],
        "section": [
            Facet(slug, title, n)
            for (slug, title), n in sorted(sections.items(), key=lambda i: (-i[1], i[0][1]))
        ],
        "tag": [Facet(slug, name, n) for slug, name, n in tag_rows],
        "decade": [Facet(str(d), f"{d}s", n) for d, n in sorted(decades.items())],
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


def _run(results, engine, query, filters, page):
    simple = query.is_simple and len(query.groups) <= FUZZY_MAX_WORDS
    name_matched = simple and engine.has_name_match(query, filters)
    cube = list(engine.facets(query, filters))
    extras = []
    if simple and not name_matched and sum(row[4] for row in cube) <= FUZZY_MAX_HITS:
        extras = engine.fuzzy(query, filters, FUZZY_LIMIT)
    full_text = filters
    if extras:
        extra_ids = tuple(pk for pk, _ in extras)
        full_text = Filters(**{**filters.__dict__, "exclude_ids": extra_ids})
        cube = list(engine.facets(query, full_text)) + [
            (*row, 1)
            for row in Document.objects.filter(pk__in=extra_ids).values_list(
                "kind", "section", "section_title", "decade"
            )
        ]
    results.total = sum(row[4] for row in cube)
    results.fuzzy = bool(extras)
    results.facets = _facets(cube, engine.tag_facets(query, full_text, TAG_FACETS))
    matches = _Matches(engine, query, full_text, extras, results.total)
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
        ids = engine.page(query, filters, 1000, 0)
        if not ids and query.is_simple:
            ids = [pk for pk, _ in engine.fuzzy(query, filters, 50)]
    return list(Document.objects.filter(pk__in=ids).values_list("object_id", flat=True))


def suggestions(raw_text, limit=8):
    engine = get_engine()
    with engine.session():
        ids = engine.suggest(clean(raw_text), limit)
    documents = Document.objects.in_bulk(ids)
    return [
        {"label": documents[pk].title, "url": documents[pk].url, "kind": documents[pk].kind}
        for pk in ids
    ]


__all__ = ["Filters", "Query", "search", "matching_ids", "suggestions"]
