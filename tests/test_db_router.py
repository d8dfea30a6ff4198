"""
The read-replica router (sergesite/db_router.py) with a replica alias that
points at the test database itself.

The alias is added to django.db.connections for this module only, copied
from default's test settings with TEST MIRROR set, as settings do for each
URL of DATABASE_REPLICA_URL. It is a second connection, so queries really
travel over it and can be counted apart from default's; it sees only
committed rows, hence transaction=True.
"""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache.backends.db import DatabaseCache
from django.core.signals import request_started
from django.db import connections, router
from django.test.utils import CaptureQueriesContext, override_settings

from essays.models import Essay, Section
from sergesite import db_router
from tests.factories import make_essay, make_person, make_work

ROOT = Path(__file__).resolve().parent.parent
ROUTED = override_settings(DATABASE_ROUTERS=["sergesite.db_router.PrimaryReplicaRouter"])
BOTH = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup):
    replica = copy.deepcopy(connections["default"].settings_dict)
    replica["TEST"] = {**replica["TEST"], "MIRROR": "default"}
    connections.settings["replica"] = replica
    yield
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


@pytest.fixture(autouse=True)
def _routed():
    with ROUTED:
        yield
    # What a request left behind must not decide how the next test reads.
    db_router._on_primary.set(True)


@pytest.fixture
def content():
    person = make_person(name="Natalia Sedova")
    work = make_work(title="The Case of Leon Trotsky", authors=[person])
    essay = make_essay(title="Coyoacán, 1940", body="The house on Avenida Viena.")
    return {"essay": essay, "person": person, "work": work}


def _get_counting(client, url, **kwargs):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url, **kwargs)
    return response, primary, replica


def _model_queries(captured):
    # The cache table may live in the database (and always on the primary); count the rest.
    return [query for query in captured.captured_queries if "django_cache" not in query["sql"]]


@BOTH
@pytest.mark.parametrize("page", ["essay", "person", "work", "section", "home", "people"])
def test_a_readers_pages_are_read_from_the_replica(client, content, page):
    essay = content["essay"]
    url = {
        "essay": essay.get_absolute_url(),
        "person": content["person"].get_absolute_url(),
        "work": content["work"].get_absolute_url(),
        "section": essay.section.get_absolute_url(),
        "home": "/",
        "people": "/people/",
    }[page]

    response, primary, replica = _get_counting(client, url)

    assert response.status_code == 200
    assert len(replica.captured_queries) > 0
    assert _model_queries(primary) == []


@BOTH
def test_the_essay_page_shows_the_essay_when_read_from_the_replica(client, content):
    response, _, replica = _get_counting(client, content["essay"].get_absolute_url())

    assert "The house on Avenida Viena." in response.text
    assert any("essays_essay" in query["sql"] for query in replica.captured_queries)


@BOTH
def test_a_signed_in_editor_reads_only_from_the_primary(client, content):
    editor = User.objects.create_user("editor", "editor@example.org", "x" * 16, is_staff=True)
    client.force_login(editor)

    response, primary, replica = _get_counting(client, content["essay"].get_absolute_url())

    assert response.status_code == 200
    assert "The house on Avenida Viena." in response.text
    assert replica.captured_queries == []
    assert len(primary.captured_queries) > 0


@BOTH
def test_a_form_sent_by_post_reads_only_from_the_primary(client):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})

    assert response.status_code == 200
    assert replica.captured_queries == []
    assert len(primary.captured_queries) > 0


@BOTH
def test_reads_after_a_write_in_the_same_request_come_from_the_primary():
    request_started.send(sender=None, environ={"REQUEST_METHOD": "GET"})
    assert router.db_for_read(Essay) == "replica"
    assert Essay.objects.all().db == "replica"

    Section.objects.create(title="Letters", slug="letters")

    assert router.db_for_read(Essay) == "default"
    assert Section.objects.filter(slug="letters").exists()


@BOTH
def test_the_next_request_reads_from_the_replica_again_after_a_write():
    request_started.send(sender=None, environ={"REQUEST_METHOD": "POST"})
    Section.objects.create(title="Letters", slug="letters")
    request_started.send(sender=None, environ={"REQUEST_METHOD": "GET"})

    assert router.db_for_read(Essay) == "replica"


@BOTH
def test_sessions_and_the_cache_table_are_never_read_from_the_replica():
    from django.contrib.sessions.models import Session

    request_started.send(sender=None, environ={"REQUEST_METHOD": "GET"})

    assert router.db_for_read(Session) == "default"
    assert router.db_for_read(Essay) == "replica"


@BOTH
def test_caching_a_page_in_the_database_cache_leaves_the_reads_on_the_replica():
    cache_entry = DatabaseCache("sergesite_cache", {}).cache_model_class
    request_started.send(sender=None, environ={"REQUEST_METHOD": "GET"})

    assert router.db_for_write(cache_entry) == "default"
    assert router.db_for_read(cache_entry) == "default"
    assert router.db_for_read(Essay) == "replica"


def test_outside_a_request_reads_come_from_the_primary():
    # Management commands and the shell have no request to judge by.
    assert router.db_for_read(Essay) == "default"


def test_writes_and_migrations_go_to_the_primary_only():
    assert router.db_for_write(Essay) == "default"
    assert router.allow_migrate("default", "essays")
    assert not router.allow_migrate("replica", "essays")


@BOTH
def test_objects_read_from_the_replica_can_be_related_to_objects_on_the_primary(content):
    request_started.send(sender=None, environ={"REQUEST_METHOD": "GET"})
    essay = Essay.objects.get(pk=content["essay"].pk)
    assert essay._state.db == "replica"

    essay.people.add(content["person"])

    assert Essay.objects.using("default").get(pk=essay.pk).people.count() == 1


def _settings_in_subprocess(code, **environ):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL"}
    }
    env.update(SECRET_KEY="a-test-key", DEBUG="true", DJANGO_SETTINGS_MODULE="sergesite.settings")
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_each_replica_url_becomes_a_mirrored_alias_with_the_router_installed():
    result = _settings_in_subprocess(
        "from django.conf import settings; from django.db import router;"
        "print(sorted(settings.DATABASES));"
        "print(settings.DATABASES['replica_2']['HOST'], settings.DATABASES['replica_2']['TEST']);"
        "print(type(router.routers[0]).__name__)",
        DATABASE_URL="postgres://site@primary.internal:5432/site",
        DATABASE_REPLICA_URL="postgres://site@r1.internal/site, postgres://site@r2.internal/site",
    )

    assert result.returncode == 0, result.stderr
    aliases, replica_2, router_name = result.stdout.splitlines()
    assert aliases == "['default', 'replica_1', 'replica_2']"
    assert replica_2.startswith("r2.internal ")
    assert "'MIRROR': 'default'" in replica_2
    assert router_name == "PrimaryReplicaRouter"


def test_without_replicas_there_is_no_router():
    result = _settings_in_subprocess(
        "from django.conf import settings; print(list(settings.DATABASES), "
        "settings.DATABASE_ROUTERS)"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] []"


def test_replicas_of_a_sqlite_database_are_refused_with_a_clear_message():
    result = _settings_in_subprocess(
        "pass", DATABASE_REPLICA_URL="postgres://site@r1.internal/site"
    )

    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs DATABASE_URL to be PostgreSQL" in result.stderr
