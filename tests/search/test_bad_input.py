import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import unanswered
from search.models import UnansweredQuery
from tests.factories import make_essay

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    "",
    "   ",
    "a",
    "x" * 10_000,
    "Serge " * 2_000,
    "kron\x00stadt",
    "\x00\x01\x02\x1b[31m",
    "\u200b\u202e",
    '"unbalanced quote',
    'a "b" "c',
    '"""',
    "NEAR(kronstadt sailors, 3)",
    "kronstadt*",
    "^kronstadt",
    "title:kronstadt",
    "{title body}: kronstadt",
    "kronstadt AND OR NOT",
    "OR",
    "-",
    "--",
    "-kronstadt",
    "( ( (",
    "kronstadt) OR (1=1",
    "' OR 1=1 --",
    "'; DROP TABLE search_document; --",
    "1; SELECT pg_sleep(5)",
    "kronstadt & | ! <-> :*",
    "%_%",
    "\\",
    "<script>alert(1)</script>",
    "🙂🙂",
    "ǅ ﬁ ß",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_odd_input_gets_a_friendly_page_never_an_error(client, query):
    make_essay(title="Kronstadt", body="The sailors of Kronstadt.")

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert b"<script>alert" not in response.content


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_odd_input_to_the_suggestions_gives_a_list(client, query):
    response = client.get("/search/suggest/", {"q": query})

    assert response.status_code == 200
    assert isinstance(response.json(), list)


@pytest.mark.parametrize("name", ["kind", "section", "tag", "decade", "page"])
def test_odd_facet_values_are_harmless(client, name):
    make_essay(title="Kronstadt")

    for value in ["\x00", "x" * 5000, "-1", "99999999999999999999", "' OR 1=1"]:
        response = client.get("/search/", {"q": "kronstadt", name: value})
        assert response.status_code == 200


def test_an_empty_query_asks_for_words(client):
    response = client.get("/search/")

    assert response.status_code == 200
    assert b"Type a name, a title or a few words." in response.content


def test_a_single_character_asks_for_more(client):
    response = client.get("/search/", {"q": "a"})

    assert b"at least two letters" in response.content


def test_a_query_of_only_operators_says_so(client):
    response = client.get("/search/", {"q": "-- * ^ ()"})

    assert b"no words in it" in response.content


def test_a_very_long_query_is_cut_and_the_reader_told(client):
    make_essay(title="Kronstadt")

    response = client.get("/search/", {"q": "kronstadt " + "x" * 10_000})

    assert response.context["query"] == ("kronstadt " + "x" * 10_000)[:200]
    assert b"only its first 200 characters" in response.content


def test_a_nul_inside_a_word_splits_it_rather_than_failing(client):
    make_essay(title="Kronstadt")

    response = client.get("/search/", {"q": "kronstadt\x00"})

    assert [hit.title for hit in response.context["results"].page] == ["Kronstadt"]


def test_operators_are_read_as_words_not_syntax(client):
    make_essay(title="Near the sea", body="A house near sea level.")

    response = client.get("/search/", {"q": "NEAR(sea)"})

    assert [hit.title for hit in response.context["results"].page] == ["Near the sea"]


def test_a_search_that_finds_nothing_is_counted_without_personal_data(client):
    client.get("/search/", {"q": "Chernov  Spiridonova"}, REMOTE_ADDR="203.0.113.9")
    client.get("/search/", {"q": "chernov spiridonova"})
    unanswered.flush()

    row = UnansweredQuery.objects.get()
    assert (row.text, row.count) == ("chernov spiridonova", 2)
    assert "203.0.113.9" not in str(UnansweredQuery.objects.values().get())


def test_an_address_typed_into_the_box_is_not_kept(client):
    client.get("/search/", {"q": "write to reader@example.org or +44 20 7946 0958"})
    unanswered.flush()

    assert UnansweredQuery.objects.get().text == "write to [email] or +[number]"


def test_a_search_that_finds_something_is_not_recorded(client):
    make_essay(title="Kronstadt")

    client.get("/search/", {"q": "kronstadt"})
    unanswered.flush()

    assert not UnansweredQuery.objects.exists()


def test_a_query_too_short_to_run_is_not_recorded(client):
    client.get("/search/", {"q": "x"})
    unanswered.flush()

    assert not UnansweredQuery.objects.exists()


def test_a_search_that_finds_nothing_writes_nothing_to_the_database_until_the_report_is_read(
    client, admin_client
):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get("/search/", {"q": "spiridonova"}).status_code == 200
    statements = [query["sql"].lstrip().upper() for query in queries.captured_queries]
    writes = [sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert not UnansweredQuery.objects.exists()

    report = admin_client.get("/admin/search/unansweredquery/")

    assert list(report.context["cl"].result_list.values_list("text", "count")) == [
        ("spiridonova", 3)
    ]


def test_the_tally_is_written_by_a_later_search_once_it_is_old_enough(client, monkeypatch):
    client.get("/search/", {"q": "spiridonova"})
    assert not UnansweredQuery.objects.exists()

    real_time = unanswered.time.time
    monkeypatch.setattr(unanswered.time, "time", lambda: real_time() + unanswered.FLUSH_SECONDS)
    client.get("/search/", {"q": "chernov"})

    assert dict(UnansweredQuery.objects.values_list("text", "count")) == {
        "spiridonova": 1,
        "chernov": 1,
    }
    unanswered.flush()
    assert UnansweredQuery.objects.count() == 2


def test_the_report_command_writes_the_tally(client):
    client.get("/search/", {"q": "spiridonova"})

    call_command("flush_search_report", stdout=io.StringIO())

    assert UnansweredQuery.objects.get().count == 1
