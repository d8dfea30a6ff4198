import time

import pytest

from feedback.models import Feedback

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_a_window(settings):
    settings.FEEDBACK_RATE_LIMIT = 3


def send_many(send_feedback, count, **kwargs):
    return [
        send_feedback(message=f"Message number {n} from one reader.", **kwargs).status_code
        for n in range(count)
    ]


def test_messages_beyond_the_limit_are_refused_with_429(send_feedback):
    codes = send_many(send_feedback, 5)

    assert codes == [302, 302, 302, 429, 429]
    assert Feedback.objects.count() == 3


def test_a_refused_reader_keeps_their_text(send_feedback):
    send_many(send_feedback, 3)

    response = send_feedback(name="Ann", message="The fourth message, kept for sending later.")

    assert response.status_code == 429
    assert b"Too many messages" in response.content
    assert b"The fourth message, kept for sending later." in response.content
    assert b'value="Ann"' in response.content


def test_the_limit_is_per_address(send_feedback):
    send_many(send_feedback, 3, remote_addr="192.0.2.1")

    assert send_feedback(remote_addr="192.0.2.2").status_code == 302


def test_a_form_with_errors_does_not_count_against_the_limit(send_feedback):
    for _ in range(5):
        send_feedback(message="short")

    assert send_many(send_feedback, 3) == [302, 302, 302]


def test_spam_counts_against_the_limit(send_feedback):
    send_many(send_feedback, 3, homepage="http://spam.example/")

    assert send_feedback().status_code == 429


def test_a_forwarded_header_is_ignored_unless_trusted(send_feedback):
    send_many(send_feedback, 3, headers={"X-Forwarded-For": "198.51.100.1"})

    response = send_feedback(headers={"X-Forwarded-For": "198.51.100.2"})

    assert response.status_code == 429


def test_a_trusted_proxy_header_gives_each_client_its_own_limit(send_feedback, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    send_many(send_feedback, 3, headers={"X-Forwarded-For": "10.0.0.9, 198.51.100.1"})

    # A client cannot escape by prepending addresses: the proxy's entry is the last.
    assert send_feedback(headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.1"}).status_code == 429
    assert send_feedback(headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 302


def test_the_address_is_kept_only_as_a_salted_hash_in_the_cache(send_feedback, memory_cache):
    send_feedback(remote_addr="203.0.113.7")

    keys = [key for key in memory_cache._cache if ":feedback:" in key]
    assert len(keys) == 1
    assert "203.0.113.7" not in keys[0]
    stored = Feedback.objects.values().get()
    assert "203.0.113.7" not in str(stored)


def test_the_counter_expires_with_the_window(send_feedback, settings, memory_cache):
    settings.FEEDBACK_RATE_WINDOW = 120

    send_feedback()

    (expires_at,) = (at for key, at in memory_cache._expire_info.items() if ":feedback:" in key)
    assert 115 < expires_at - time.time() <= 120
