"""
PostgreSQL: every pair of adjacent words in a document, with a GIN index, so
that a quoted phrase of common words is looked up instead of checked against
the word positions of every essay containing both words (100 ms at 10,000
essays). The pairs come from the same tsvector expression as the vector
column (a generated column cannot read another), so a phrase the vector
matches always has its pairs here. Each pair is stored as 32 bits of its
md5, which halves the index: two pairs sharing a number only bring an extra
essay to the position check, which turns it away. SQLite needs nothing: FTS5
checks positions inside its own index.
"""

import importlib

from django.db import migrations

full_text = importlib.import_module("search.migrations.0002_full_text")
_vector = full_text._vector

POSTGRES_FORWARD = [
    # Positions are those of the tsvector, so stop words leave gaps and a
    # phrase such as "the party" has no pair: the engine then does without.
    # md5, not hashtext: hashtext may change between PostgreSQL versions,
    # and the index would then miss phrases after an upgrade.
    """CREATE FUNCTION sergesite_word_pairs(words tsvector) RETURNS integer[]
        IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
        SELECT COALESCE(array_agg(DISTINCT
            ('x' || left(md5(a.lexeme || ' ' || b.lexeme), 8))::bit(32)::integer), '{}')
        FROM (SELECT lexeme, unnest(positions) AS at FROM unnest(words)) AS a
        JOIN (SELECT lexeme, unnest(positions) AS at FROM unnest(words)) AS b
            ON b.at = a.at + 1
    $$""",
    f"""ALTER TABLE search_document ADD COLUMN pairs integer[] GENERATED ALWAYS AS (
        sergesite_word_pairs({_vector("title", "A")} || {_vector("other_names", "B")}
        || {_vector("summary", "B")} || {_vector("body", "C")} || {_vector("tags", "D")}))
        STORED""",
    """CREATE INDEX search_document_pairs ON search_document
        USING gin (pairs) WITH (fastupdate = off)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_pairs",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS pairs",
    "DROP FUNCTION IF EXISTS sergesite_word_pairs(tsvector)",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0004_long_text_last")]

    operations = [
        migrations.RunPython(
            full_text._run({"postgresql": POSTGRES_FORWARD}),
            full_text._run({"postgresql": POSTGRES_BACKWARD}),
        ),
    ]
