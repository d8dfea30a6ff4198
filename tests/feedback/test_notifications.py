import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def test_the_editors_are_emailed_about_a_new_message(send_feedback):
    send_feedback(name="Ann", email="ann@example.org", about="Tulayev")

    (email,) = mail.outbox
    assert email.to == ["editor@example.org"]
    assert email.reply_to == ["ann@example.org"]
    assert email.subject == "Reader feedback: Tulayev"
    assert "My edition dates Tulayev 1950, not 1948." in email.body
    assert Feedback.objects.get().notification_pending is False


def test_a_failed_email_leaves_the_message_stored_and_pending(send_feedback, unreachable_smtp):
    response = send_feedback()

    assert response["Location"] == reverse("feedback:thanks")
    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.NEW
    assert feedback.notification_pending is True


def retry(**options):
    out = io.StringIO()
    call_command("send_pending_notifications", stdout=out, **options)
    return out.getvalue()


def test_a_failed_notification_is_sent_by_the_retry_command(
    send_feedback, unreachable_smtp, settings
):
    send_feedback(about="First")
    send_feedback(about="Second")
    assert mail.outbox == []
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    output = retry(grace=0)

    assert output.strip() == "Sent 2, still pending 0."
    assert sorted(email.subject for email in mail.outbox) == [
        "Reader feedback: First",
        "Reader feedback: Second",
    ]
    assert not Feedback.objects.filter(notification_pending=True).exists()


def test_the_retry_command_sends_each_notification_only_once():
    make_feedback(
        notification_pending=True, received_at=timezone.now() - datetime.timedelta(hours=1)
    )

    retry()
    retry()

    assert len(mail.outbox) == 1


def test_the_retry_command_leaves_young_messages_to_the_web_process():
    make_feedback(notification_pending=True)

    assert retry(grace=60).strip() == "Sent 0, still pending 1."
    assert mail.outbox == []


def test_a_retry_that_fails_again_keeps_the_message_pending(unreachable_smtp):
    feedback = make_feedback(
        notification_pending=True, received_at=timezone.now() - datetime.timedelta(hours=1)
    )

    with pytest.raises(CommandError, match="still pending 1"):
        retry()

    feedback.refresh_from_db()
    assert feedback.notification_pending is True


def test_held_and_spam_messages_are_not_notified(send_feedback, settings):
    settings.FEEDBACK_MAX_LINKS = 0

    send_feedback(message="Look at https://example.org/ for the dates.")

    assert Feedback.objects.get().status == Feedback.Status.HELD
    assert Feedback.objects.get().notification_pending is False
    assert mail.outbox == []


def test_hostile_text_is_escaped_in_the_html_email(send_feedback):
    send_feedback(name=HOSTILE, about=HOSTILE, message=HOSTILE)

    (email,) = mail.outbox
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    # The plain text part is plain text: it shows the text as the reader wrote it.
    assert HOSTILE in email.body


def test_a_line_break_in_the_topic_cannot_add_an_email_header(send_feedback):
    send_feedback(about="Hello\r\nBcc: victim@example.org")

    (email,) = mail.outbox
    assert email.subject == "Reader feedback: Hello Bcc: victim@example.org"
    assert email.bcc == []
    assert "\nBcc:" not in email.message().as_string().split("\n\n")[0]
