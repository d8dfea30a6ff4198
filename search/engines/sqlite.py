"""SQLite: FTS5 with bm25() and snippet(), and an FTS5 trigram table for names."""

from contextlib import nullcontext

from django.db import connection

from ..query import Query, Term, words
from . import NAME_SIMILARITY, Counts, like_escape

HEAD_COLUMNS = ("title", "other_names", "summary", "tags")
SNIPPET_TOKENS = 24
FUZZY_CANDIDATES = 300


def session():
    return nullcontext()


def settle():
    """Nothing waits to be merged: FTS5 writes each document's terms as it comes."""


def _matching(query, filters, columns=None):
    where, params = filters.sql()
    # CROSS JOIN makes SQLite start from the full-text index: given a filter
    # on kind, it would otherwise walk every essay and probe the index for each.
    sql = (
        "FROM search_text CROSS JOIN search_document d ON d.id = search_text.rowid"
        f" WHERE search_text MATCH %s AND {where}"
    )
    return sql, [query.to_fts5(columns), *params]


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def hits(query, filters, first):
    """
    The first ids of the hits, best first, and the facet counts among them,
    from one statement: see Counts. Ordering and counting here rather than in
    Python spares building 9,000 sort keys for a common word.
    """
    matching, params = _matching(query, filters)
    plain = query.plain_text.split()
    phrase, phrase_params = "0", []
    if len(plain) > 1:
        phrase = "h.id IN (SELECT rowid FROM search_text WHERE search_text MATCH %s)"
        phrase_params = [Query(groups=[[Term(tuple(plain))]]).to_fts5()]
    # Best first: the whole query is a name or title, then it appears as a
    # phrase, then rank in the head, then body hits before tag-only hits,
    # newest first.
    order = "tier DESC, COALESCE(rank, 0) DESC, rank IS NULL DESC, published DESC, id"
    rows = _rows(
        "WITH hits AS MATERIALIZED (SELECT d.id, d.kind, d.section, d.section_title, d.decade,"
        " d.tag_slugs, COALESCE(julianday(d.published_at), 0) AS published,"
        f" instr(d.names, %s) > 0 AS exact {matching}),"
        # Only hits in the head (title, other names, summary, tags) are
        # ranked: bm25 over the body would decode every position of a common
        # word in every essay. Tags weigh nothing, so a body hit is not
        # outranked by one.
        " head AS MATERIALIZED (SELECT rowid AS id,"
        " -bm25(search_text, 10.0, 4.0, 4.0, 0.0, 0.0) AS rank"
        " FROM search_text WHERE search_text MATCH %s),"
        # A union grouped by id, not a join: SQLite underestimates what an
        # FTS5 scan returns and would join by scanning head once per hit.
        " ranked AS (SELECT id, max(published) AS published, max(rank) AS rank,"
        " max(tier) AS tier FROM (SELECT h.id, h.published, NULL AS rank,"
        f" CASE WHEN h.exact THEN 2 WHEN {phrase} THEN 1 ELSE 0 END AS tier FROM hits h"
        " UNION ALL SELECT id, NULL, rank, NULL FROM head) GROUP BY id HAVING count(tier) > 0)"
        f" SELECT 'hit', id, '', row_number() OVER (ORDER BY {order})"
        f" FROM (SELECT * FROM ranked ORDER BY {order} LIMIT %s)"
        " UNION ALL SELECT 'kind', kind, '', count(*) FROM hits GROUP BY kind"
        " UNION ALL SELECT 'section', section, section_title, count(*) FROM hits"
        " WHERE section <> '' GROUP BY section, section_title"
        " UNION ALL SELECT 'decade', decade, '', count(*) FROM hits"
        " WHERE decade IS NOT NULL GROUP BY decade"
        # SQLite cannot split a string into rows cheaply: the tags are
        # counted per distinct "|a|b|" and split in Python.
        " UNION ALL SELECT 'tags', tag_slugs, '', count(*) FROM hits"
        " WHERE tag_slugs <> '' GROUP BY tag_slugs",
        [
            "|" + query.plain_text + "|",
            *params,
            query.to_fts5(HEAD_COLUMNS),
            *phrase_params,
            first,
        ],
    )
    return Counts.from_rows(rows)


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


def suggest(text, limit, kinds):
    """Documents of the given kinds whose names contain text, whole names first."""
    folded = " ".join(words(text))
    if len(folded) < 3 or not kinds:
        return []
    in_kinds = ", ".join(["%s"] * len(kinds))
    return [
        row[0]
        for row in _rows(
            "SELECT d.id FROM search_names JOIN search_document d ON d.id = search_names.rowid"
            f" WHERE search_names MATCH %s AND d.kind IN ({in_kinds})"
            " ORDER BY (d.names LIKE %s ESCAPE '\\') DESC, length(d.title), d.title LIMIT %s",
            [
                '"' + folded.replace('"', '""') + '"',
                *kinds,
                "%|" + like_escape(folded) + "%",
                limit,
            ],
        )
    ]
