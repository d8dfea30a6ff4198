"""
The full-text machinery each database needs beside search_document.

SQLite: an FTS5 table of the text columns (unicode61 without diacritics,
porter stemming) and an FTS5 trigram table of the folded names, both with
search_document as external content and kept in step by triggers.

PostgreSQL: an unaccenting English text-search configuration, stored
weighted tsvectors (the whole document for matching, its head - title,
names, summary, tags - for cheap ranking, the names for "did a name match?") with GIN indexes, and a pg_trgm
index on the folded names. Stored columns, never expression indexes: an
expression index recomputes to_tsvector on every recheck.
"""

from django.db import migrations

TEXT_COLUMNS = "title, other_names, summary, body, tags"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE search_text USING fts5({TEXT_COLUMNS},
        content='search_document', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE VIRTUAL TABLE search_names USING fts5(names,
        content='search_document', content_rowid='id', tokenize='trigram')""",
    f"""CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_text(rowid, {TEXT_COLUMNS})
        VALUES (new.id, new.title, new.other_names, new.summary, new.body, new.tags);
        INSERT INTO search_names(rowid, names) VALUES (new.id, new.names);
    END""",
    f"""CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_text(search_text, rowid, {TEXT_COLUMNS})
        VALUES ('delete', old.id, old.title, old.other_names, old.summary, old.body, old.tags);
        INSERT INTO search_names(search_names, rowid, names) VALUES ('delete', old.id, old.names);
    END""",
    f"""CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_text(search_text, rowid, {TEXT_COLUMNS})
        VALUES ('delete', old.id, old.title, old.other_names, old.summary, old.body, old.tags);
        INSERT INTO search_names(search_names, rowid, names) VALUES ('delete', old.id, old.names);
        INSERT INTO search_text(rowid, {TEXT_COLUMNS})
        VALUES (new.id, new.title, new.other_names, new.summary, new.body, new.tags);
        INSERT INTO search_names(rowid, names) VALUES (new.id, new.names);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_names",
    "DROP TABLE IF EXISTS search_text",
]


def _vector(column, weight):
    return f"setweight(to_tsvector('sergesite_search'::regconfig, {column}), '{weight}')"


POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS sergesite_search",
    "CREATE TEXT SEARCH CONFIGURATION sergesite_search (COPY = pg_catalog.english)",
    # Only words with non-ASCII letters can carry accents.
    """ALTER TEXT SEARCH CONFIGURATION sergesite_search
        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem""",
    f"""ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        {_vector("title", "A")} || {_vector("other_names", "B")} || {_vector("summary", "B")}
        || {_vector("body", "C")} || {_vector("tags", "D")}) STORED""",
    # Ranking reads this small vector, never the body's: a common word then
    # costs a few microseconds per hit however long the essays are.
    f"""ALTER TABLE search_document ADD COLUMN head tsvector GENERATED ALWAYS AS (
        {_vector("title", "A")} || {_vector("other_names", "B")} || {_vector("summary", "B")}
        || {_vector("tags", "D")}) STORED""",
    f"""ALTER TABLE search_document ADD COLUMN name_vector tsvector GENERATED ALWAYS AS (
        {_vector("title", "A")} || {_vector("other_names", "A")}) STORED""",
    # fastupdate off: a GIN pending list is scanned in full by every search,
    # which after a bulk rebuild made a query for a missing word cost 12 ms
    # instead of 0.05. Editors write rarely; readers search all the time.
    """CREATE INDEX search_document_vector ON search_document
        USING gin (vector) WITH (fastupdate = off)""",
    """CREATE INDEX search_document_name_vector ON search_document
        USING gin (name_vector) WITH (fastupdate = off)""",
    """CREATE INDEX search_document_names_trgm ON search_document
        USING gin (names gin_trgm_ops) WITH (fastupdate = off)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_names_trgm",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS name_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS head",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS sergesite_search",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
