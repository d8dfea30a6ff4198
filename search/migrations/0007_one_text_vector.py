"""
PostgreSQL: a document's text vector is computed once per write, not twice.

The word pairs (0005) are the pairs of the text vector, but a generated
column cannot read another, so `pairs` ran to_tsvector over the whole
document again: a third of the database's work for each essay written. A
trigger now computes `vector` and then `pairs` from it, with the same
expressions, so every stored value stays what it was. `head` and
`name_vector` stay generated: they read only the short fields. The columns
keep their values when they stop being generated (PostgreSQL 13 and later).
"""

import importlib

from django.db import migrations

full_text = importlib.import_module("search.migrations.0002_full_text")
_vector = full_text._vector

TEXT_VECTOR = (
    f"{_vector('NEW.title', 'A')} || {_vector('NEW.other_names', 'B')}"
    f" || {_vector('NEW.summary', 'B')} || {_vector('NEW.body', 'C')}"
    f" || {_vector('NEW.tags', 'D')}"
)

POSTGRES_FORWARD = [
    "ALTER TABLE search_document ALTER COLUMN pairs DROP EXPRESSION",
    "ALTER TABLE search_document ALTER COLUMN vector DROP EXPRESSION",
    f"""CREATE FUNCTION sergesite_document_vectors() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.vector := {TEXT_VECTOR};
            NEW.pairs := sergesite_word_pairs(NEW.vector);
            RETURN NEW;
        END $$""",
    # An update that leaves the text alone (publishing, a new address)
    # keeps the vectors it has.
    """CREATE TRIGGER search_document_vectors
        BEFORE INSERT OR UPDATE OF title, other_names, summary, body, tags
        ON search_document FOR EACH ROW EXECUTE FUNCTION sergesite_document_vectors()""",
]

_WHOLE = (
    f"{_vector('title', 'A')} || {_vector('other_names', 'B')} || {_vector('summary', 'B')}"
    f" || {_vector('body', 'C')} || {_vector('tags', 'D')}"
)
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_vectors ON search_document",
    "DROP FUNCTION IF EXISTS sergesite_document_vectors()",
    # Generated again: dropping the columns drops their indexes too.
    "ALTER TABLE search_document DROP COLUMN pairs",
    "ALTER TABLE search_document DROP COLUMN vector",
    f"ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS ({_WHOLE}) STORED",
    f"""ALTER TABLE search_document ADD COLUMN pairs integer[] GENERATED ALWAYS AS (
        sergesite_word_pairs({_WHOLE})) STORED""",
    """CREATE INDEX search_document_vector ON search_document
        USING gin (vector) WITH (fastupdate = off)""",
    """CREATE INDEX search_document_pairs ON search_document
        USING gin (pairs) WITH (fastupdate = off)""",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0006_kind_from_registry")]

    operations = [
        migrations.RunPython(
            full_text._run({"postgresql": POSTGRES_FORWARD}),
            full_text._run({"postgresql": POSTGRES_BACKWARD}),
        ),
    ]
