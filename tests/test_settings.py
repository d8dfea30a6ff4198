import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = {"SECRET_KEY": "a-test-key", "DEBUG": "false", "ALLOWED_HOSTS": "example.org"}


def _import_settings(**environ):
    # A fresh interpreter: settings are read once, at import.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in GOOD and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update({key: value for key, value in environ.items() if value is not None})
    return subprocess.run(
        [sys.executable, "-c", "import sergesite.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_like_settings_import_cleanly():
    result = _import_settings(**GOOD)

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "tru", "yes please"])
def test_a_debug_value_that_is_not_a_boolean_is_refused(value):
    result = _import_settings(**{**GOOD, "DEBUG": value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG must be true or false" in result.stderr


def test_a_missing_secret_key_is_refused_when_debug_is_off():
    result = _import_settings(**{**GOOD, "SECRET_KEY": None})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_an_empty_secret_key_is_refused_when_debug_is_off():
    result = _import_settings(**{**GOOD, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_a_missing_secret_key_is_allowed_for_local_work_with_debug_on():
    result = _import_settings(**{**GOOD, "SECRET_KEY": None, "DEBUG": "true"})

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://localhost/site"),
        ("MARKDOWNX_UPLOAD_MAX_SIZE", "five megabytes"),
        ("SECURE_SSL_REDIRECT", "sometimes"),
    ],
)
def test_other_bad_values_are_refused(name, value):
    result = _import_settings(**{**GOOD, name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_a_redis_url_chooses_the_redis_cache_that_keeps_its_clients():
    env = {**GOOD, "REDIS_URL": "redis://127.0.0.1:6379/3"}
    result = subprocess.run(
        [sys.executable, "-c", "import sergesite.settings as s; print(s.CACHES['default'])"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "'BACKEND': 'sergesite.redis_cache.RedisCache'" in result.stdout
    assert "redis://127.0.0.1:6379/3" in result.stdout
