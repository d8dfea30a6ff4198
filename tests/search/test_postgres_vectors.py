"""
PostgreSQL keeps a document's text vector and word pairs in step with its
text (search/migrations/0007_one_text_vector.py): each is what the
expression it replaced would give, after every write that changes the text.
"""

import pytest
from django.db import connection

from search.models import Document
from tests.factories import make_essay

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the vectors are PostgreSQL's columns"
    ),
]

WHOLE = " || ".join(
    f"setweight(to_tsvector('sergesite_search'::regconfig, {column}), '{weight}')"
    for column, weight in (
        ("title", "A"),
        ("other_names", "B"),
        ("summary", "B"),
        ("body", "C"),
        ("tags", "D"),
    )
)


def stored_and_expected(document_id):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT vector = ({WHOLE}), pairs = sergesite_word_pairs({WHOLE}),"
            " cardinality(pairs) FROM search_document WHERE id = %s",
            [document_id],
        )
        return cursor.fetchone()


def test_a_new_documents_vector_and_word_pairs_are_those_of_its_text():
    essay = make_essay(title="Kronstadt", body="The sailors of Kronstadt rose in March 1921.")
    document = Document.objects.get(kind="essay", object_id=essay.pk)

    same_vector, same_pairs, pairs = stored_and_expected(document.pk)

    assert same_vector and same_pairs
    assert pairs > 0


def test_changing_the_text_computes_the_vector_and_pairs_again(client):
    essay = make_essay(title="Kronstadt", body="The sailors rose.")
    document = Document.objects.get(kind="essay", object_id=essay.pk)
    before = stored_and_expected(document.pk)[2]

    essay.body = "The sailors of the Baltic fleet rose against the party in March 1921."
    essay.save()

    same_vector, same_pairs, pairs = stored_and_expected(document.pk)
    assert same_vector and same_pairs
    assert pairs > before
    found = client.get("/search/", {"q": '"Baltic fleet"'}).content.decode()
    assert essay.get_absolute_url() in found


def test_an_update_of_other_columns_keeps_the_vectors():
    essay = make_essay(title="Kronstadt", body="The sailors of Kronstadt rose in March 1921.")
    document = Document.objects.get(kind="essay", object_id=essay.pk)

    Document.objects.filter(pk=document.pk).update(is_published=False)

    same_vector, same_pairs, pairs = stored_and_expected(document.pk)
    assert same_vector and same_pairs and pairs > 0
