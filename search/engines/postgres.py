"""
PostgreSQL: stored weighted tsvectors with GIN, websearch_to_tsquery, ranking
on a small lead vector, ts_headline on a short excerpt, pg_trgm for names.
"""

import re
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

from ..query import fold, words
from . import NAME_SIMILARITY, Counts, like_escape

CONFIG = "sergesite_search"
TSQUERY = f"websearch_to_tsquery('{CONFIG}', %s)"
# ts_headline is only ever given this much text around the first match:
# on a whole 5,000-word body it costs tens of milliseconds per hit.
EXCERPT_CHARS = 360
HEADLINE_OPTIONS = "StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=1"


# GIN indexes that take new entries into a pending list (search/migrations/0008).
PENDING_LIST_INDEXES = ("search_document_vector", "search_document_pairs")


def settle():
    """
    Merge the pending lists into the indexes, so that searches after a bulk
    write don't scan them. Only the table's owner may; autovacuum does it
    otherwise.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for index in PENDING_LIST_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    except DatabaseError:
        pass


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _matching(query, filters, column="vector"):
    # The tsquery is written inline, never joined in from a subquery: inline it
    # is a constant the planner can take to the GIN index.
    where, params = filters.sql()
    sql = f"FROM search_document d WHERE d.{column} @@ {TSQUERY} AND {where}"
    return sql, [query.to_websearch(), *params]


# ts_rank weights for D, C, B, A. Tags (D) count for nothing here, so that a
# hit in the body (ranked 0, below) is not outranked by a hit in a tag.
RANK_WEIGHTS = "{0.0, 0.2, 0.4, 1.0}"


def hits(query, filters, first):
    """
    The first ids of the hits, best first, their total and the facet counts
    among them, from one scan of the index: see engines.Counts. Ordering and
    counting here rather than in Python spares moving 9,000 rows for a common
    word, and a bounded sort is cheaper than ordering every hit.
    """
    matching, params = _matching(query, filters)
    pairs, pair_params = _phrase_pairs(query)
    matching, params = matching + pairs, params + pair_params
    plain = query.plain_text
    text = query.to_websearch()
    phrase, phrase_params = "false", []
    if len(plain.split()) > 1:
        phrase, phrase_params = f"d.head @@ phraseto_tsquery('{CONFIG}', %s)", [plain]
    # Best first: the whole query is a name or title, then it appears as a
    # phrase, then rank in the head, then body hits before tag-only hits,
    # newest first.
    order = "tier DESC, COALESCE(rank, 0) DESC, rank IS NULL DESC, published DESC, id"
    # MATERIALIZED: the hits are scanned once, however many times they are
    # read below; a phrase otherwise rechecks each essay's positions per read.
    # Only hits in the head are ranked; ranking the body would read each hit's
    # whole tsvector, which for a common word at 10,000 essays is seconds.
    # The date is a float8: sorting on EXTRACT's numeric was four times slower.
    rows = _rows(
        "WITH hits AS MATERIALIZED (SELECT d.id, d.kind, d.section, d.section_title,"
        " d.decade, d.tag_slugs,"
        " COALESCE(EXTRACT(EPOCH FROM d.published_at), 0)::float8 AS published,"
        f" CASE WHEN d.names LIKE %s ESCAPE '\\' THEN 2 WHEN {phrase} THEN 1 ELSE 0 END AS tier,"
        f" CASE WHEN d.head @@ {TSQUERY}"
        f" THEN ts_rank('{RANK_WEIGHTS}', d.head, {TSQUERY}) END AS rank"
        f" {matching}),"
        f" best AS (SELECT id, tier, rank, published FROM hits ORDER BY {order} LIMIT %s)"
        f" SELECT 'hit', id::text, '', row_number() OVER (ORDER BY {order}) FROM best"
        " UNION ALL SELECT 'kind', kind, '', count(*) FROM hits GROUP BY kind"
        " UNION ALL SELECT 'section', section, section_title, count(*) FROM hits"
        " WHERE section <> '' GROUP BY section, section_title"
        " UNION ALL SELECT 'decade', decade::text, '', count(*) FROM hits"
        " WHERE decade IS NOT NULL GROUP BY decade"
        # Tags are split once per distinct "|a|b|", not once per hit.
        " UNION ALL SELECT 'tag', tag, '', sum(n)::bigint FROM (SELECT tag_slugs, count(*) AS n"
        " FROM hits WHERE tag_slugs <> '' GROUP BY tag_slugs) AS combinations,"
        " unnest(string_to_array(btrim(tag_slugs, '|'), '|')) AS tag GROUP BY tag",
        ["%|" + like_escape(plain) + "|%", *phrase_params, text, text, *params, first],
    )
    return Counts.from_rows(rows)


def _phrase_pairs(query):
    """
    A condition on the word pairs (migration 0005) that every document
    matching the query's phrases meets, so that GIN finds the few essays
    where two common words stand side by side before their positions are
    read. Groups with a single word, or a phrase broken by stop words, add
    nothing.
    """
    phrases = [term.text for term in query.terms if len(term.words) > 1]
    if not phrases:
        return "", []
    pairs = dict(
        _rows(
            f"SELECT p, sergesite_word_pairs(to_tsvector('{CONFIG}', p))"
            " FROM unnest(%s::text[]) AS p",
            [phrases],
        )
    )
    sql, params = "", []
    for group in query.groups:
        alternatives = [pairs.get(term.text) for term in group]
        if all(alternatives):
            sql += " AND (" + " OR ".join(["d.pairs @> %s::integer[]"] * len(alternatives)) + ")"
            params += alternatives
    return sql, params


def has_name_match(query, filters):
    matching, params = _matching(query, filters, column="name_vector")
    return bool(_rows(f"SELECT 1 {matching} LIMIT 1", params))


@contextmanager
def session():
    """Settings for one search, undone when it ends."""
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner prices a scan by the table's own pages and does not see
        # that every row drags a large tsvector out of TOAST: left alone it
        # scans a table of a few thousand rows, or walks a btree in order,
        # instead of using the GIN index, at 50-100 ms a query. The <%
        # operator reads its threshold from the third setting.
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true),"
            " set_config('enable_indexscan', 'off', true),"
            " set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(NAME_SIMILARITY)],
        )
        yield


def fuzzy(query, filters, limit):
    text = query.plain_text
    where, params = filters.sql()
    return _rows(
        "SELECT d.id, word_similarity(%s, d.names) AS s FROM search_document d"
        f" WHERE %s <%% d.names AND {where} ORDER BY s DESC, d.id LIMIT %s",
        [text, text, *params, limit],
    )


def _lexemes(query):
    rows = _rows(
        f"SELECT unnest(tsvector_to_array(to_tsvector('{CONFIG}', %s)))", [query.plain_text]
    )
    return {row[0] for row in rows} | set(query.plain_text.split())


def _excerpt(text, stems):
    """The stretch of text around the first word that starts with a query stem."""
    folded = fold(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")")
    found = pattern.search(folded)
    if found is None:
        return None
    start = max(0, found.start() - EXCERPT_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = text.rfind(" ", 0, start + EXCERPT_CHARS)
    return text[start : end if end > found.end() else start + EXCERPT_CHARS]


def snippets(query, ids):
    if not ids:
        return {}
    stems = sorted(_lexemes(query), key=len, reverse=True)
    if not stems:
        return {}
    texts = _rows(
        "SELECT id, body, summary, other_names, tags FROM search_document WHERE id = ANY(%s)",
        [list(ids)],
    )
    excerpts = {}
    for pk, *fields in texts:
        for text in fields:
            excerpt = _excerpt(text, stems) if text else None
            if excerpt:
                excerpts[pk] = excerpt
                break
    if not excerpts:
        return {}
    rows = _rows(
        f"SELECT e.pk, ts_headline('{CONFIG}', e.excerpt, {TSQUERY}, %s)"
        " FROM unnest(%s::bigint[], %s::text[]) AS e(pk, excerpt)",
        [query.to_websearch(), HEADLINE_OPTIONS, list(excerpts), list(excerpts.values())],
    )
    return {pk: headline for pk, headline in rows if "\x02" in headline}


def suggest(text, limit, kinds):
    """Documents of the given kinds whose names contain text, whole names first."""
    folded = " ".join(words(text))
    if len(folded) < 3 or not kinds:
        return []
    in_kinds = ", ".join(["%s"] * len(kinds))
    return [
        row[0]
        for row in _rows(
            "SELECT d.id FROM search_document d WHERE d.names LIKE %s ESCAPE '\\'"
            f" AND d.kind IN ({in_kinds})"
            " ORDER BY (d.names LIKE %s ESCAPE '\\') DESC, length(d.title), d.title LIMIT %s",
            ["%" + like_escape(folded) + "%", *kinds, "%|" + like_escape(folded) + "%", limit],
        )
    ]
