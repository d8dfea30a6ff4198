"""
deploy/backup and deploy/restore, round trip on PostgreSQL.

The suite may run on SQLite (DATABASE_URL unset) or on PostgreSQL; either
way these tests make two scratch databases of their own on the PostgreSQL
server (the suite's, else PG_URL, else postgres@127.0.0.1:5432), fill the
first through `manage.py migrate` and `load_demo` in a subprocess, back it
up, restore into the second, and drop both. pytest-django's own test
database is not involved: its rows live in a transaction no pg_dump sees.

Outside CI a missing PostgreSQL (tools or server) skips them, with the
reason; with CI=true it fails them.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"

# None of these tests uses pytest-django's database, but tests/conftest.py's
# autouse fixtures do: pytest-django only creates it when a collected test
# asks for it, so without this mark the module fails when run on its own.
pytestmark = pytest.mark.django_db


def _unavailable(reason):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: PostgreSQL is required there)")
    pytest.skip(reason)


def _server_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("PG_URL") or DEFAULT_SERVER
    return url


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _psql(url, sql):
    return subprocess.run(
        ["psql", "--no-psqlrc", "--tuples-only", "--no-align", "-v", "ON_ERROR_STOP=1",
         "--dbname", url, "-c", sql],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def server():
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
    if missing:
        _unavailable(f"PostgreSQL client tools missing: {', '.join(missing)}")
    url = _with_database(_server_url(), "postgres")
    answer = _psql(url, "select 1")
    if answer.returncode != 0:
        _unavailable(f"no PostgreSQL server answers at {urlsplit(url).hostname}: {answer.stderr}")
    return url


@pytest.fixture(scope="module")
def scratch(server):
    """Two fresh databases, dropped afterwards whatever happens."""
    suffix = uuid.uuid4().hex[:8]
    names = {
        "source": f"sergesite_backup_test_{suffix}",
        "target": f"sergesite_restore_test_{suffix}",
    }
    for name in names.values():
        created = _psql(server, f'create database "{name}"')
        assert created.returncode == 0, created.stderr
    try:
        yield {role: _with_database(server, name) for role, name in names.items()}
    finally:
        for name in names.values():
            _psql(server, f'drop database if exists "{name}" with (force)')


def _site_env(database_url, media_root):
    # The site's environment as a server has it, with nothing of this test
    # process's settings (PATH for the tools, HOME for psql).
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHON": sys.executable,
        "DEBUG": "true",
        "SECRET_KEY": "backup-test-only",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
    }


def _run(command, env):
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


TABLES = {
    "essays": "essays_essay",
    "people": "people_person",
    "works": "works_work",
    "sections": "essays_section",
    "other_names": "people_othername",
    "contributions": "works_contribution",
    "mentions": "essays_mention",
    "essay_people": "essays_essay_people",
    "tags": "taggit_tag",
    "search_documents": "search_document",
}


def _contents(url):
    # Every column of every row (text, rendered HTML, dates), in id order.
    contents = {}
    for kind, table in TABLES.items():
        query = f"select coalesce(json_agg(t order by t.id), '[]') from {table} t"
        answer = _psql(url, query)
        assert answer.returncode == 0, answer.stderr
        contents[kind] = json.loads(answer.stdout)
    return contents


@pytest.fixture(scope="module")
def backed_up(scratch, tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup")
    media = folder / "media-source"
    (media / "uploads").mkdir(parents=True)
    (media / "uploads" / "map-of-petrograd.png").write_bytes(b"\x89PNG\r\n\x1a\nmap")
    env = _site_env(scratch["source"], media)
    for command in (["migrate", "--no-input", "-v0"], ["load_demo"]):
        made = _run([sys.executable, "manage.py", *command], env)
        assert made.returncode == 0, made.stderr

    result = _run([str(ROOT / "deploy" / "backup"), str(folder / "backups")], env)

    assert result.returncode == 0, result.stderr
    (dated,) = (folder / "backups").iterdir()
    return {"folder": dated, "source_media": media, "work": folder, **scratch}


def test_a_backup_is_one_dated_folder_with_the_dump_the_export_and_the_media(backed_up):
    names = sorted(path.name for path in backed_up["folder"].iterdir())

    assert names == ["ABOUT", "SHA256SUMS", "database.dump", "media.tar.gz", "site.zip"]
    assert backed_up["folder"].name.endswith("Z")


@pytest.fixture(scope="module")
def restored(backed_up):
    target_media = backed_up["work"] / "media-target"
    env = _site_env(backed_up["target"], target_media)

    result = _run([str(ROOT / "deploy" / "restore"), str(backed_up["folder"])], env)

    assert result.returncode == 0, result.stderr
    return {**backed_up, "media": target_media, "env": env}


def test_a_backup_restored_into_an_empty_database_has_the_same_content(restored):
    before, after = _contents(restored["source"]), _contents(restored["target"])

    assert len(after["essays"]) >= 5
    assert len(after["people"]) >= 20
    assert len(after["works"]) >= 20
    assert after == before
    restored_file = restored["media"] / "uploads" / "map-of-petrograd.png"
    assert restored_file.read_bytes() == b"\x89PNG\r\n\x1a\nmap"


def test_the_restored_site_serves_its_essays_and_its_search_index(restored):
    env = {**restored["env"], "ALLOWED_HOSTS": "testserver"}
    code = (
        "from django.test import Client; from essays.models import Essay;"
        "from search.models import Document;"
        "essay = Essay.objects.published().first();"
        "print(Client().get(essay.get_absolute_url()).status_code);"
        "print(Document.objects.count())"
    )

    result = _run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], env)

    assert result.returncode == 0, result.stderr
    status, documents = result.stdout.split()
    assert status == "200"
    assert int(documents) > 0


def test_restoring_into_a_database_that_is_not_empty_is_refused(backed_up):
    env = _site_env(backed_up["source"], backed_up["work"] / "media-refused")
    before = _contents(backed_up["source"])

    result = _run([str(ROOT / "deploy" / "restore"), str(backed_up["folder"])], env)

    assert result.returncode != 0
    assert "The database is not empty" in result.stderr
    assert "--replace" in result.stderr
    assert _contents(backed_up["source"]) == before


def test_replace_restores_over_a_changed_database_and_keeps_the_old_media_aside(restored):
    backed_up, target_media, env = restored, restored["media"], restored["env"]
    changed = _psql(backed_up["target"], "update essays_essay set title = 'Changed'")
    assert changed.returncode == 0, changed.stderr
    (target_media / "uploads" / "added-later.png").write_bytes(b"later")

    result = _run([str(ROOT / "deploy" / "restore"), "--replace", str(backed_up["folder"])], env)

    assert result.returncode == 0, result.stderr
    assert _contents(backed_up["target"]) == _contents(backed_up["source"])
    assert not (target_media / "uploads" / "added-later.png").exists()
    (aside,) = target_media.parent.glob("media-target.replaced-*")
    assert (aside / "uploads" / "added-later.png").read_bytes() == b"later"


def test_a_damaged_backup_is_refused_before_anything_is_touched(backed_up, tmp_path):
    damaged = tmp_path / "damaged"
    shutil.copytree(backed_up["folder"], damaged)
    with (damaged / "database.dump").open("ab") as dump:
        dump.write(b"junk")
    env = _site_env(backed_up["target"], tmp_path / "media")

    result = _run([str(ROOT / "deploy" / "restore"), "--replace", str(damaged)], env)

    assert result.returncode != 0
    assert "damaged" in result.stderr


def test_backup_without_a_postgresql_database_url_says_what_is_wrong(tmp_path):
    env = _site_env("sqlite:///site.db", tmp_path / "media")

    result = _run([str(ROOT / "deploy" / "backup"), str(tmp_path)], env)

    assert result.returncode != 0
    assert "DATABASE_URL must be PostgreSQL" in result.stderr
