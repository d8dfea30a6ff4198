"""
PostgreSQL: stored weighted tsvectors with GIN, websearch_to_tsquery, ranking
on a small lead vector, ts_headline on a short excerpt, pg_trgm for names.
"""

import re

from django.db import connection

from ..query import fold, words
from . import NAME_SIMILARITY, essay_content_type_id, like_escape, tag_facet_sql

CONFIG = "sergesite_search"
TSQUERY = f"websearch_to_tsquery('{CONFIG}', %s)"
# ts_headline is only ever given this much text around the first match:
# on a whole 5,000-word body it costs tens of milliseconds per hit.
EXCERPT_CHARS = 360
HEADLINE_OPTIONS = "StartSel=\x02, StopSel=\x03, MaxWords=30, MinWords=12, MaxFragments=1"


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _matching(query, filters, column="vector"):
    where, params = filters.sql()
    sql = f"FROM search_document d, {TSQUERY} q WHERE d.{column} @@ q AND {where}"
    return sql, [query.to_websearch(), *params]


def page(query, filters, limit, offset):
    matching, params = _matching(query, filters)
    plain = query.plain_text
    tier = "(CASE WHEN d.names LIKE %s ESCAPE '\\' THEN 2"
    tier_params = ["%|" + like_escape(plain) + "|%"]
    if len(plain.split()) > 1:
        tier += f" WHEN d.lead @@ phraseto_tsquery('{CONFIG}', %s) THEN 1"
        tier_params.append(plain)
    tier += " ELSE 0 END)"
    sql = (
        f"SELECT d.id {matching} ORDER BY {tier} DESC, ts_rank(d.lead, q) DESC, d.id"
        " LIMIT %s OFFSET %s"
    )
    return [row[0] for row in _rows(sql, [*params, *tier_params, limit, offset])]


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
    matching, params = _matching(query, filters, column="name_vector")
    return bool(_rows(f"SELECT 1 {matching} LIMIT 1", params))


def fuzzy(query, filters, limit):
    text = query.plain_text
    where, params = filters.sql()
    with connection.cursor() as cursor:
        # The <% operator reads its threshold from this setting; it is what
        # lets the trigram index answer instead of a scan.
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(NAME_SIMILARITY)],
        )
        cursor.execute(
            "SELECT d.id, word_similarity(%s, d.names) AS s FROM search_document d"
            f" WHERE %s <%% d.names AND {where} ORDER BY s DESC, d.id LIMIT %s",
            [text, text, *params, limit],
        )
        return cursor.fetchall()


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


def suggest(text, limit):
    folded = " ".join(words(text))
    if len(folded) < 3:
        return []
    return [
        row[0]
        for row in _rows(
            "SELECT d.id FROM search_document d WHERE d.names LIKE %s ESCAPE '\\'"
            " AND d.kind IN ('person', 'work')"
            " ORDER BY (d.names LIKE %s ESCAPE '\\') DESC, length(d.title), d.title LIMIT %s",
            ["%" + like_escape(folded) + "%", "%|" + like_escape(folded) + "%", limit],
        )
    ]
