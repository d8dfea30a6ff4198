import pytest
from django.core import mail
from django.urls import reverse

from feedback.models import BlockedWord, Feedback

pytestmark = pytest.mark.django_db


def test_a_filled_honeypot_is_thanked_but_nothing_is_stored(send_feedback):
    response = send_feedback(homepage="http://spam.example/")

    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:thanks")
    assert Feedback.objects.count() == 0
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_readers(client):
    response = client.get(reverse("feedback:form"))

    assert b'<div hidden aria-hidden="true">' in response.content
    assert b'name="homepage"' in response.content


def test_a_form_without_its_token_is_thanked_but_nothing_is_stored(send_feedback):
    response = send_feedback(started="")

    assert response["Location"] == reverse("feedback:thanks")
    assert Feedback.objects.count() == 0


def test_a_forged_token_is_thanked_but_nothing_is_stored(send_feedback):
    response = send_feedback(started='{"t": 0}:forged:signature')

    assert response["Location"] == reverse("feedback:thanks")
    assert Feedback.objects.count() == 0


def test_a_form_sent_too_fast_is_kept_as_spam_and_not_notified(send_feedback, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 60

    response = send_feedback()

    assert response["Location"] == reverse("feedback:thanks")
    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.SPAM
    assert feedback.status_reason.startswith("Sent 0.")
    assert mail.outbox == []


def test_a_form_sent_after_the_minimum_time_arrives_as_new(client, open_form, later, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 60
    data = open_form()
    later(61)

    response = client.post(reverse("feedback:form"), data)

    assert response["Location"] == reverse("feedback:thanks")
    assert Feedback.objects.get().status == Feedback.Status.NEW


def test_a_form_opened_days_ago_is_held(client, open_form, later):
    data = open_form()
    later(3 * 24 * 3600)

    client.post(reverse("feedback:form"), data)

    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.HELD
    assert "72 hours" in feedback.status_reason


def test_a_message_with_many_links_is_held_and_not_notified(send_feedback):
    links = " ".join(f"https://shop{n}.example/" for n in range(4))

    response = send_feedback(message=f"Great essay! {links}")

    assert response["Location"] == reverse("feedback:thanks")
    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.HELD
    assert feedback.status_reason == "Contains 4 links."
    assert mail.outbox == []


def test_a_message_with_one_link_arrives_as_new(send_feedback):
    send_feedback(message="The 1950 edition is at https://archive.example/tulayev for comparison.")

    assert Feedback.objects.get().status == Feedback.Status.NEW


def test_a_message_with_two_links_is_held_by_default(send_feedback):
    send_feedback(message="See https://archive.example/a and www.library.example/b for it.")

    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.HELD
    assert feedback.status_reason == "Contains 2 links."


def test_the_number_of_links_a_message_may_have_is_a_setting(send_feedback, settings):
    settings.FEEDBACK_MAX_LINKS = 3

    send_feedback(message="See https://archive.example/a and www.library.example/b for it.")

    assert Feedback.objects.get().status == Feedback.Status.NEW


def test_spam_with_links_and_starter_words_is_held_not_dropped(send_feedback):
    send_feedback(
        message="Cheap viagra and the best casino: https://a.example/ https://b.example/ "
        "https://c.example/"
    )

    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.HELD
    assert feedback.notification_pending is False
    assert mail.outbox == []


def test_a_word_of_the_starter_list_holds_a_message(send_feedback):
    send_feedback(message="Great essay, I found it while looking for forex signals.")

    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.HELD
    assert feedback.status_reason == "Contains the blocked word “forex”."


def test_a_message_about_the_left_passes_the_starter_list(send_feedback):
    send_feedback(
        message="The crypto-Trotskyist charge, the armed escort to Orenburg and the betting "
        "on a German revolution: your chronology of Serge's exile in 1933 is off by a year."
    )

    assert Feedback.objects.get().status == Feedback.Status.NEW


def test_a_message_with_a_blocked_word_is_held_whatever_its_case(send_feedback):
    BlockedWord.objects.create(word="roulette")

    send_feedback(message="Best ROULETTE bonuses for readers of Serge.")

    feedback = Feedback.objects.get()
    assert feedback.status == Feedback.Status.HELD
    assert feedback.status_reason == "Contains the blocked word “roulette”."


def test_a_blocked_word_inside_another_word_does_not_hold_a_message(send_feedback):
    assert BlockedWord.objects.filter(word="cialis").exists()  # from the starter list

    send_feedback(message="The specialist edition dates it differently.")

    assert Feedback.objects.get().status == Feedback.Status.NEW


def test_a_blocked_phrase_in_the_name_holds_the_message(send_feedback):
    BlockedWord.objects.create(word="cheap watches")

    send_feedback(name="Cheap Watches", message="A message that looks harmless.")

    assert Feedback.objects.get().status == Feedback.Status.HELD


def test_a_refused_bot_sees_exactly_what_a_reader_sees(send_feedback):
    reader = send_feedback()
    bot = send_feedback(homepage="x", message="A different message from a bot.")

    assert (bot.status_code, bot["Location"]) == (reader.status_code, reader["Location"])


def test_the_same_form_sent_twice_is_stored_once(client, open_form):
    data = open_form() | {"message": "Sent twice by an impatient double click."}

    first = client.post(reverse("feedback:form"), data)
    second = client.post(reverse("feedback:form"), data)

    assert first.status_code == second.status_code == 302
    assert Feedback.objects.count() == 1
    assert len(mail.outbox) == 1


def test_two_different_messages_from_one_open_form_are_both_stored(client, open_form):
    data = open_form()

    client.post(reverse("feedback:form"), data | {"message": "The first thing I wanted to say."})
    client.post(reverse("feedback:form"), data | {"message": "A second thing, after going back."})

    assert Feedback.objects.count() == 2
