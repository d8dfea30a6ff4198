"""
How PostgreSQL stores what essays and search documents write: long values
compressed with lz4 (sergesite/compression.py), and the text indexes'
pending lists merged after bulk writes (search/migrations/0008).
"""

import pytest
from django.db import connection

from essays.models import Essay
from search import index
from sergesite.compression import lz4_available
from tests.factories import make_essay

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage"),
]


@pytest.fixture
def compression_known():
    # Column compression, and the catalog that shows it, came in PostgreSQL 14.
    if connection.pg_version < 140000:
        pytest.skip("PostgreSQL 13 compresses with pglz only")


LONG_COLUMNS = [
    ("essays_essay", "body"),
    ("essays_essay", "body_html"),
    ("search_document", "body"),
    ("search_document", "vector"),
    ("reversion_version", "serialized_data"),
]


def compression_of(table, column):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute"
            " WHERE attrelid = %s::regclass AND attname = %s",
            [table, column],
        )
        return cursor.fetchone()[0]


def pending_pages(index_name):
    """Merges the index's pending list, and says how many pages it held."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index_name])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(("table", "column"), LONG_COLUMNS)
def test_long_texts_are_compressed_with_lz4_where_the_server_has_it(
    compression_known, table, column
):
    assert compression_of(table, column) == ("l" if lz4_available(connection) else "")


def test_an_essay_written_in_lz4_reads_back_whole(compression_known):
    body = 'Victor Serge wrote "from exile" in Mexico \\ 1947.\n\n' * 400
    essay = make_essay(title="Long", slug="long", body=body)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(body) FROM essays_essay WHERE id = %s", [essay.pk]
        )
        method = cursor.fetchone()[0]
    assert Essay.objects.get(pk=essay.pk).body == body
    assert method == ("lz4" if lz4_available(connection) else "pglz")


def test_saved_words_wait_in_a_pending_list_until_a_bulk_write_settles_them():
    make_essay(title="Kronstadt", slug="kronstadt", body="The sailors rose in 1921. " * 50)
    assert pending_pages("search_document_vector") > 0

    make_essay(title="Bread", slug="bread", body="The conquest of bread. " * 50)
    index.settle()

    assert pending_pages("search_document_vector") == 0
    assert pending_pages("search_document_pairs") == 0
