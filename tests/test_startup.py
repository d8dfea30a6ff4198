"""
What a gunicorn worker imports before its first request: django.setup(), the
WSGI application and the whole URLconf. Libraries that only saving, importing
or the admin need are imported where they are used, so that workers start
faster and stay smaller (docs/PERFORMANCE.md, "Start-up and memory").
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# As a worker starts: settings, apps and their ready() hooks, middleware,
# then every URL pattern (Django imports the URLconf at the first request).
WORKER_START = """
import json, sys
import django
django.setup()
import sergesite.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted(sys.modules)))
"""

# Each is several megabytes or tens of milliseconds, and no page needs it
# to be served: HTML parsing (saving, mention links, feeds), readability and
# Pillow (the import pipeline), citeproc-py (a citation not yet cached).
NOT_AT_START = [
    "lxml.html",
    "readability",
    "citeproc",
    "PIL.Image",
    "frontmatter",
    "markdownify",
    "yaml",
    "markdown_it",
    "nh3",
    "lxml",
    "whitenoise.middleware",
]


def python(args, env, timeout=60):
    """The standard output of this Python run in a fresh process, in the repository."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def modules_at_start():
    env = {"DEBUG": "false", "DJANGO_SETTINGS_MODULE": "sergesite.settings"}
    output = python(["-c", WORKER_START], env, timeout=120)
    return set(json.loads(output.strip().splitlines()[-1]))


def test_a_worker_starts_with_the_whole_urlconf_loaded(modules_at_start):
    # The check below means something only if start-up really ran.
    assert {"sergesite.urls", "essays.urls", "essays.feeds", "people.models"} <= modules_at_start


@pytest.mark.parametrize("module", NOT_AT_START)
def test_a_worker_does_not_import_what_only_saving_or_importing_needs(modules_at_start, module):
    assert module not in modules_at_start


def _gunicorn_preloads(value):
    command = ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--print-config"]
    output = python([*command, "sergesite.wsgi"], {"DEBUG": "true", "GUNICORN_PRELOAD": value})
    line = next(line for line in output.splitlines() if line.startswith("preload_app "))
    return line.partition("=")[2].strip() == "True"


def test_gunicorn_preloads_the_site_only_when_asked():
    # Off, a SIGHUP rolls out a release; on, workers share memory (deploy/gunicorn.conf.py).
    assert not _gunicorn_preloads("")
    assert _gunicorn_preloads("true")
    assert not _gunicorn_preloads("false")


def test_a_static_file_is_served_by_the_app_when_no_server_serves_it_in_front(client, settings):
    # WhiteNoise is built at the first static request (sergesite/static_files.py).
    settings.WHITENOISE_USE_FINDERS = True

    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"".join(response.streaming_content) == (ROOT / "static/css/site.css").read_bytes()
