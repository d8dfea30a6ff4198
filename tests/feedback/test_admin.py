import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from feedback.models import BlockedWord, Feedback
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:feedback_feedback_changelist")
HOSTILE = "<script>alert(1)</script><b>bold</b>"


def csv_rows(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("mark_read", Feedback.Status.READ),
        ("mark_replied", Feedback.Status.REPLIED),
        ("mark_spam", Feedback.Status.SPAM),
        ("mark_new", Feedback.Status.NEW),
    ],
)
def test_an_editor_changes_the_status_of_selected_messages(admin_client, action, status):
    chosen = make_feedback(status=Feedback.Status.HELD)
    other = make_feedback(status=Feedback.Status.HELD)

    response = admin_client.post(
        CHANGELIST, {"action": action, "_selected_action": [chosen.pk]}, follow=True
    )

    assert response.status_code == 200
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, other.status) == (status, Feedback.Status.HELD)


def test_the_list_filters_by_status(admin_client):
    make_feedback(message="A held message about dates.", status=Feedback.Status.HELD)
    make_feedback(message="A new message about dates.")

    response = admin_client.get(CHANGELIST, {"status__exact": "held"})

    assert response.context["cl"].result_count == 1
    assert b"A held message about dates." in response.content


def test_the_csv_export_follows_the_filters(admin_client):
    make_feedback(name="Ann", message="Tulayev is dated 1948 in my copy.")
    make_feedback(name="Bob", message="Spam spam spam", status=Feedback.Status.SPAM)

    response = admin_client.get(reverse("admin:feedback_feedback_export"), {"status__exact": "new"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert [(row["name"], row["message"]) for row in rows] == [
        ("Ann", "Tulayev is dated 1948 in my copy.")
    ]


def test_the_csv_export_follows_the_search(admin_client):
    make_feedback(message="About Tulayev and its dates.")
    make_feedback(message="About the Memoirs instead.")

    response = admin_client.get(reverse("admin:feedback_feedback_export"), {"q": "tulayev"})

    assert [row["message"] for row in csv_rows(response)] == ["About Tulayev and its dates."]


def test_the_change_list_links_to_the_export_with_its_filters(admin_client):
    response = admin_client.get(CHANGELIST, {"status__exact": "held"})

    assert b"/admin/feedback/feedback/export.csv?status__exact=held" in response.content


def test_the_export_of_selected_messages_is_csv(admin_client):
    chosen = make_feedback(name="Ann")
    make_feedback(name="Bob")

    response = admin_client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]}
    )

    assert [row["name"] for row in csv_rows(response)] == ["Ann"]


def test_text_that_a_spreadsheet_would_run_is_exported_as_text(admin_client):
    make_feedback(name='=HYPERLINK("http://evil.example")', message="+1 for the correction")

    (row,) = csv_rows(admin_client.get(reverse("admin:feedback_feedback_export")))

    assert row["name"] == '\'=HYPERLINK("http://evil.example")'
    assert row["message"] == "'+1 for the correction"


def test_bad_filters_on_the_export_are_a_400(admin_client):
    response = admin_client.get(reverse("admin:feedback_feedback_export"), {"nonsense": "1"})

    assert response.status_code == 400


def test_the_export_needs_a_staff_login(client):
    response = client.get(reverse("admin:feedback_feedback_export"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_hostile_text_is_escaped_in_the_change_list(admin_client):
    make_feedback(name=HOSTILE, about=HOSTILE, message=HOSTILE)

    response = admin_client.get(CHANGELIST)

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_hostile_text_is_escaped_on_the_message_page(admin_client):
    feedback = make_feedback(name=HOSTILE, about=HOSTILE, message=HOSTILE, email="a@example.org")

    response = admin_client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk]))

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"<b>bold</b>" not in response.content
    assert b"&lt;b&gt;bold&lt;/b&gt;" in response.content


def test_the_message_page_has_a_reply_by_email_link(admin_client):
    feedback = make_feedback(email="ann@example.org", about="Tulayev & dates")

    response = admin_client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk]))

    assert (
        b'<a href="mailto:ann@example.org?subject=Re%3A%20Tulayev%20%26%20dates">'
        in response.content
    )


def test_an_editor_can_change_the_status_but_not_the_readers_text(admin_client):
    feedback = make_feedback(message="The original text from the reader.")
    url = reverse("admin:feedback_feedback_change", args=[feedback.pk])

    admin_client.post(url, {"status": "replied", "message": "Rewritten by someone else."})

    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.REPLIED
    assert feedback.message == "The original text from the reader."


def test_the_admin_index_shows_the_count_of_new_messages(admin_client):
    make_feedback()
    make_feedback()
    make_feedback(status=Feedback.Status.HELD)
    make_feedback(status=Feedback.Status.READ)

    response = admin_client.get(reverse("admin:index"))

    assert b"2 new messages</a>" in response.content
    assert b"1 held for moderation</a>" in response.content


def test_blocked_words_are_managed_in_the_admin(admin_client):
    admin_client.post(reverse("admin:feedback_blockedword_add"), {"word": "roulette"})

    response = admin_client.post(reverse("admin:feedback_blockedword_add"), {"word": "ROULETTE"})

    assert response.status_code == 200  # shown again with an error
    assert list(
        BlockedWord.objects.filter(word__iexact="roulette").values_list("word", flat=True)
    ) == ["roulette"]


def test_the_starter_blocked_words_are_listed_for_editors_to_change(admin_client):
    casino = BlockedWord.objects.get(word="casino")

    listing = admin_client.get(reverse("admin:feedback_blockedword_changelist"))
    admin_client.post(
        reverse("admin:feedback_blockedword_delete", args=[casino.pk]), {"post": "yes"}
    )

    assert "viagra" in listing.text and "casino" in listing.text
    assert not BlockedWord.objects.filter(word="casino").exists()
    assert BlockedWord.objects.filter(word="viagra").exists()


def test_purge_deletes_only_spam_older_than_the_given_days():
    old = timezone.now() - datetime.timedelta(days=40)
    make_feedback(message="Old spam message here.", status=Feedback.Status.SPAM, received_at=old)
    make_feedback(message="Recent spam message.", status=Feedback.Status.SPAM)
    make_feedback(message="Old but a real message.", received_at=old)

    call_command("purge_feedback", days=30, stdout=io.StringIO())

    assert sorted(Feedback.objects.values_list("message", flat=True)) == [
        "Old but a real message.",
        "Recent spam message.",
    ]


def test_purge_can_only_count():
    old = timezone.now() - datetime.timedelta(days=40)
    make_feedback(status=Feedback.Status.SPAM, received_at=old)

    out = io.StringIO()
    call_command("purge_feedback", days=30, dry_run=True, stdout=out)

    assert out.getvalue().strip() == "Would delete 1 spam message(s)."
    assert Feedback.objects.count() == 1
