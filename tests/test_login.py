"""Signing in to the admin: the throttle (django-axes), password rules, idle sessions."""

import datetime
import logging

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.test_settings import GOOD, _import_settings

pytestmark = pytest.mark.django_db

PASSWORD = "a long and unguessable passphrase"
LIMIT = 5  # LOGIN_FAILURE_LIMIT's default


@pytest.fixture
def editor():
    return get_user_model().objects.create_user(
        "editor", "editor@example.org", PASSWORD, is_staff=True
    )


def sign_in(client, username="editor", password=PASSWORD, address="203.0.113.5", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        headers=headers,
    )


def fail(client, times, **kwargs):
    for _ in range(times):
        kwargs.setdefault("password", "wrong password")
        sign_in(client, **kwargs)


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def end_cool_off(minutes=16):
    # As if the failures had happened that long ago.
    moved = timezone.now() - datetime.timedelta(minutes=minutes)
    AccessAttempt.objects.update(attempt_time=moved)


def test_a_wrong_password_shows_the_form_again(client, editor):
    response = sign_in(client, password="wrong password")

    assert response.status_code == 200
    assert b"Please enter the correct username and password" in response.content


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, editor):
    fail(client, LIMIT)

    response = sign_in(client)

    assert response.status_code == 429
    assert b"Sign-in locked" in response.content
    assert b"15 minutes" in response.content
    assert not signed_in(response)
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock(client, editor):
    fail(client, LIMIT - 1)

    assert signed_in(sign_in(client))


def test_a_successful_sign_in_forgets_the_earlier_failures(client, editor):
    fail(client, LIMIT - 1)
    sign_in(client)
    client.logout()

    fail(client, LIMIT - 1)

    assert signed_in(sign_in(client))


def test_failures_for_one_user_from_many_addresses_lock_that_user(client, editor):
    for n in range(LIMIT):
        fail(client, 1, address=f"198.51.100.{n + 1}")

    assert sign_in(client, address="192.0.2.1").status_code == 429


def test_failures_from_one_address_lock_every_user_name_there(client, editor):
    for n in range(LIMIT):
        fail(client, 1, username=f"guess{n}", address="198.51.100.7")

    assert sign_in(client, address="198.51.100.7").status_code == 429
    assert signed_in(sign_in(Client(), address="192.0.2.1"))


def test_the_lock_lifts_when_the_cool_off_has_passed(client, editor):
    fail(client, LIMIT)
    end_cool_off(minutes=14)
    assert sign_in(client).status_code == 429

    end_cool_off(minutes=16)

    assert signed_in(sign_in(client))


def test_attempts_during_the_lock_are_refused_without_extending_it(client, editor):
    fail(client, LIMIT)
    end_cool_off(minutes=10)

    fail(client, 3)
    end_cool_off(minutes=16)

    assert signed_in(sign_in(client))


def test_the_cool_off_and_the_limit_are_settings(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=1)
    fail(client, 2)
    assert sign_in(client).status_code == 429

    end_cool_off(minutes=2)

    assert signed_in(sign_in(client))


def test_the_lock_is_logged_and_recorded(client, editor, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        fail(client, LIMIT)

    assert "Locking out" in caplog.text
    assert PASSWORD not in caplog.text
    assert AccessFailureLog.objects.filter(username="editor", locked_out=True).count() == 1
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("editor", "203.0.113.5")
    assert attempt.failures_since_start == LIMIT


def test_a_superuser_sees_the_lock_in_the_admin_and_lifts_it(client, editor, admin_client):
    fail(client, LIMIT)
    attempt = AccessAttempt.objects.get()

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert b"Locked Out" in listing.content
    assert b"203.0.113.5" in listing.content
    assert signed_in(sign_in(client))


def test_an_editor_who_is_not_a_superuser_cannot_see_the_attempts(client, editor):
    fail(Client(), LIMIT, username="someone")
    client.force_login(editor)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 403


def test_the_lock_is_kept_in_the_database_for_every_worker(client, editor):
    fail(client, LIMIT)
    # Another worker process: no memory of this one's cache or handler.
    cache.clear()
    AxesProxyHandler.implementation = None

    assert sign_in(Client()).status_code == 429


def test_behind_a_proxy_the_configured_header_gives_each_client_its_own_count(
    client, editor, settings
):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for n in range(LIMIT):
        # The proxy appends the address it saw; what the client sent comes first.
        fail(client, 1, username=f"guess{n}", x_forwarded_for=f"10.0.0.{n}, 198.51.100.9")

    locked = sign_in(client, x_forwarded_for="198.51.100.9")
    other = sign_in(Client(), x_forwarded_for="198.51.100.10")

    assert locked.status_code == 429
    assert signed_in(other)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}


def test_without_a_configured_header_a_forwarded_address_is_ignored(client, editor, settings):
    settings.CLIENT_IP_HEADER = ""
    for n in range(LIMIT):
        fail(client, 1, username=f"guess{n}", x_forwarded_for=f"198.51.100.{n}")

    assert sign_in(Client(), x_forwarded_for="198.51.100.200").status_code == 429


def test_a_forwarded_value_that_is_not_an_address_falls_back_to_the_peer(client, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    sign_in(client, username="nobody", x_forwarded_for="not-an-address")

    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOGIN_FAILURE_LIMIT", "0"),
        ("LOGIN_COOLOFF_MINUTES", "soon"),
        ("SESSION_IDLE_MINUTES", "-5"),
        ("CLIENT_IP_HEADER", "X-Forwarded-For"),
    ],
)
def test_bad_sign_in_settings_stop_start_up(name, value):
    result = _import_settings(**{**GOOD, name: value})

    assert result.returncode != 0
    assert name in result.stderr


# --- Password rules -----------------------------------------------------------


@pytest.mark.parametrize("password", ["short1", "password12345", "12345678901234", "newcomer2025!"])
def test_a_weak_password_is_refused_when_an_editor_is_added(admin_client, password):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_a_strong_password_is_accepted_when_an_editor_is_added(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert get_user_model().objects.get(username="newcomer").check_password(PASSWORD)


# --- Idle sessions --------------------------------------------------------------


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_signing_in_starts_a_session_that_ends_after_an_idle_hour(client, editor):
    response = sign_in(client)

    expires = session_row(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=59) < expires <= datetime.timedelta(minutes=60)
    assert response.cookies["sessionid"]["max-age"] == 3600


def test_each_request_moves_the_end_of_the_session_forward(client, editor):
    sign_in(client)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))

    assert client.get(reverse("admin:index")).status_code == 200

    expires = session_row(client).expire_date - timezone.now()
    assert expires > datetime.timedelta(minutes=59)


def test_an_idle_session_has_ended_and_the_editor_must_sign_in_again(client, editor):
    sign_in(client)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_readers_get_no_session_saved(client):
    client.get(reverse("home"))

    assert not Session.objects.exists()


@pytest.mark.django_db
def test_a_cookie_naming_no_session_creates_none_and_is_cleared(client):
    client.cookies["sessionid"] = "made-up-by-a-client"
    for _ in range(3):
        response = client.get("/")
        assert response.status_code == 200

    assert not Session.objects.exists()
    assert response.cookies["sessionid"].value == ""  # deleted


@pytest.mark.django_db
def test_an_editors_session_is_still_kept_alive_by_each_request(admin_client):
    (session,) = Session.objects.all()
    before = session.expire_date

    admin_client.get("/")

    assert Session.objects.get().expire_date >= before
    assert Session.objects.count() == 1
