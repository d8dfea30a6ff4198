"""SQLite: FTS5 with bm25() and snippet(), and an FTS5 trigram table for names."""

from contextlib import nullcontext

from django.db import connection

from ..query import Query, Term, words
from . import NAME_SIMILARITY, essay_content_type_id, like_escape, tag_facet_sql

# bm25 weights for title, other names, summary, body and tags, in that order.
WEIGHTS = "10.0, 4.0, 4.0, 1.0, 0.5"
SNIPPET_TOKENS = 24
FUZZY_CANDIDATES = 300


def session():
    return nullcontext()


def _matching(query, filters, columns=None):
    where, params = filters.sql()
    sql = (
        "FROM search_text JOIN search_document d ON d.id = search_text.rowid"
        f" WHERE search_text MATCH %s AND {where}"
    )
    return sql, [query.to_fts5(columns), *params]


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def page(query, filters, limit, offset):
    tiers, tier_params = _tier_sql(query)
    matching, params = _matching(query, filters)
    sql = (
        f"SELECT d.id {matching} ORDER BY {tiers} DESC, bm25(search_text, {WEIGHTS}), d.id"
        " LIMIT %s OFFSET %s"
    )
    return [row[0] for row in _rows(sql, [*params, *tier_params, limit, offset])]


def _tier_sql(query):
    """2 when the whole query is a name or title, 1 when it appears as a phrase, else 0."""
    plain = query.plain_text
    sql = "(CASE WHEN d.names LIKE %s ESCAPE '\\' THEN 2"
    params = ["%|" + like_escape(plain) + "|%"]
    if len(plain.split()) > 1:
        phrase = Query(groups=[[Term(tuple(plain.split()))]])
        sql += " WHEN d.id IN (SELECT rowid FROM search_text WHERE search_text MATCH %s) THEN 1"
        params.append(phrase.to_fts5())
    return sql + " ELSE 0 END)", params


def facets(query, filters):
    matching, params = _matching(query, filters)
    return _rows(
        f"SELECT d.kind, d.section, d.section_title, d.decade, COUNT(*) {matching}"
        " GROUP BY d.kind, d.section, d.section_title, d.decade",
        params,
    )


def tag_facets(query, filters, limit):
    matching, params = _matching(query, filters)
    inner = f"SELECT d.object_id {matching} AND d.kind = 'essay'"
    return _rows(tag_facet_sql(inner), [essay_content_type_id(), *params, limit])


def has_name_match(query, filters):
    matching, params = _matching(query, filters, columns=("title", "other_names"))
    return bool(_rows(f"SELECT 1 {matching} LIMIT 1", params))


def _trigrams(word):
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def word_similarity(text, names):
    """pg_trgm's word_similarity, word by word: how much of each query word a name word shares."""
    targets = [_trigrams(word) for word in names.replace("|", " ").split()]
    if not targets:
        return 0.0
    scores = []
    for word in text.split():
        grams = _trigrams(word)
        scores.append(max(len(grams & target) / len(grams) for target in targets))
    return sum(scores) / len(scores)


def fuzzy(query, filters, limit):
    text = query.plain_text
    grams = sorted({g for word in text.split() for g in _trigrams(word) if " " not in g})
    if not grams:
        return []
    where, params = filters.sql()
    match = " OR ".join('"' + gram.replace('"', '""') + '"' for gram in grams)
    rows = _rows(
        "SELECT d.id, d.names FROM search_names JOIN search_document d"
        f" ON d.id = search_names.rowid WHERE search_names MATCH %s AND {where}"
        " ORDER BY bm25(search_names) LIMIT %s",
        [match, *params, FUZZY_CANDIDATES],
    )
    scored = [(word_similarity(text, names), pk) for pk, names in rows]
    scored = sorted(
        ((s, pk) for s, pk in scored if s >= NAME_SIMILARITY), key=lambda p: (-p[0], p[1])
    )
    return [(pk, score) for score, pk in scored[:limit]]


def snippets(query, ids):
    if not ids:
        return {}
    placeholders = ", ".join(["%s"] * len(ids))
    columns = {"body": 3, "summary": 2, "other_names": 1, "tags": 4}
    selected = ", ".join(
        f"snippet(search_text, {index}, char(2), char(3), '…', {SNIPPET_TOKENS})"
        for index in columns.values()
    )
    rows = _rows(
        f"SELECT rowid, {selected} FROM search_text"
        f" WHERE search_text MATCH %s AND rowid IN ({placeholders})",
        [query.to_fts5(), *ids],
    )
    found = {}
    for pk, *texts in rows:
        marked = [text for text in texts if text and "\x02" in text]
        found[pk] = marked[0] if marked else ""
    return found


def suggest(text, limit):
    folded = " ".join(words(text))
    if len(folded) < 3:
        return []
    return [
        row[0]
        for row in _rows(
            "SELECT d.id FROM search_names JOIN search_document d ON d.id = search_names.rowid"
            " WHERE search_names MATCH %s AND d.kind IN ('person', 'work')"
            " ORDER BY (d.names LIKE %s ESCAPE '\\') DESC, length(d.title), d.title LIMIT %s",
            ['"' + folded.replace('"', '""') + '"', "%|" + like_escape(folded) + "%", limit],
        )
    ]
