import pytest
from django.core.cache import cache
from django.urls import reverse

from feedback import forms


@pytest.fixture(autouse=True)
def _feedback_settings(settings):
    # No waiting before a submission counts; the too-fast tests raise it again.
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    settings.FEEDBACK_NOTIFY = ["editor@example.org"]
    settings.CLIENT_IP_HEADER = ""
    # admin_client hashes a password per test; the real hasher costs a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counters live in the cache, which the suite empties before
    # each test (tests/conftest.py).
    yield


@pytest.fixture
def memory_cache(settings):
    """The in-process cache, whose keys and expiry times a test can read."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def unreachable_smtp(settings):
    # A real SMTP backend aimed at a closed loopback port: the connection is refused.
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }


@pytest.fixture
def open_form(client):
    """The form's fields as a browser would send them back after opening it."""

    def open_(query=""):
        form = client.get(reverse("feedback:form") + query).context["form"]
        data = {name: form[name].value() or "" for name in form.fields}
        data["message"] = "My edition dates Tulayev 1950, not 1948."
        return data

    return open_


@pytest.fixture
def send_feedback(client, open_form):
    """Open the form, then send it back at once with the given fields changed."""

    def send(query="", *, headers=None, remote_addr="127.0.0.1", **fields):
        data = open_form(query) | fields
        return client.post(
            reverse("feedback:form"), data, headers=headers or {}, REMOTE_ADDR=remote_addr
        )

    return send


@pytest.fixture
def later(monkeypatch):
    """Move the feedback clock forward by some seconds."""
    real_now = forms.now

    def move(seconds):
        monkeypatch.setattr(forms, "now", lambda: real_now() + seconds)

    return move
