"""
PostgreSQL: the text vector's and the word pairs' GIN indexes take new
entries into a small pending list (512 kB) and merge them in bulk, and the
document's long values are compressed with lz4.

Adding a 5,000-word essay's thousands of keys one by one (fastupdate off,
0002) was most of the database's work per essay saved or imported: about
3 ms of 10. A searcher scans the pending list as well as the index, which
made a bulk rebuild's default 4 MB list cost 12 ms a query; kept to 512 kB,
and emptied by imports and rebuilds when they end (search.index.settle()),
it costs a search under a millisecond at worst. The names' indexes keep
fastupdate off: they are small, and name lookups are the latency-critical
searches.
"""

import importlib

from django.db import migrations

from sergesite.compression import use_lz4

full_text = importlib.import_module("search.migrations.0002_full_text")

INDEXES = ("search_document_vector", "search_document_pairs")

POSTGRES_FORWARD = [
    f"ALTER INDEX {index} SET (fastupdate = on, gin_pending_list_limit = 512)"
    for index in INDEXES
]
POSTGRES_BACKWARD = [
    statement
    for index in INDEXES
    for statement in (
        f"SELECT gin_clean_pending_list('{index}'::regclass)",
        f"ALTER INDEX {index} SET (fastupdate = off)",
        f"ALTER INDEX {index} RESET (gin_pending_list_limit)",
    )
]


class Migration(migrations.Migration):
    dependencies = [("search", "0007_one_text_vector")]

    operations = [
        migrations.RunPython(
            full_text._run({"postgresql": POSTGRES_FORWARD}),
            full_text._run({"postgresql": POSTGRES_BACKWARD}),
        ),
        # The document's text and its vector: lz4 (sergesite/compression.py).
        migrations.RunPython(
            *use_lz4([("search_document", column) for column in ("body", "vector", "pairs")])
        ),
    ]
