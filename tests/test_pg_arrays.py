"""The faster escaping of list parameters (sergesite/pg_arrays.py) writes what psycopg did."""

import re

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st
from psycopg.types.array import ListDumper

from essays.models import Essay, Section
from sergesite.pg_arrays import _Escape

PSYCOPG_PATTERN = re.compile(rb'(["\\])')


@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_the_escaping_is_the_same_as_psycopgs_pattern(data):
    assert _Escape.sub(rb"\\\1", data) == PSYCOPG_PATTERN.sub(rb"\\\1", data)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="arrays are PostgreSQL's")
def test_texts_full_of_quotes_and_backslashes_go_through_bulk_create_whole():
    section = Section.objects.create(title="History", slug="history")
    bodies = [
        'He wrote "no" \\ and {braces}, commas, NULL',
        "",
        'A \\"quoted\\" JSON-ish "body" with \u201ccurly\u201d quotes and \u00e9',
        "NULL",
    ]
    Essay.objects.bulk_create(
        Essay(title=f"Essay {n}", slug=f"essay-{n}", section=section, body=body)
        for n, body in enumerate(bodies)
    )

    assert [e.body for e in Essay.objects.order_by("slug")] == bodies
    dumper = connection.connection.adapters.get_dumper(list, "t")
    assert issubclass(dumper, ListDumper) and isinstance(dumper._re_esc, _Escape)
