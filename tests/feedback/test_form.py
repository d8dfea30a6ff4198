import pytest
from django.urls import reverse

from feedback.models import Feedback
from tests.factories import make_essay

pytestmark = pytest.mark.django_db


def test_every_page_links_to_the_feedback_form(client):
    response = client.get(reverse("home"))

    assert reverse("feedback:form").encode() in response.content


def test_an_essay_page_links_to_the_form_prefilled_with_its_title(client):
    essay = make_essay(title="Tulayev")

    response = client.get(essay.get_absolute_url())

    assert b"/feedback/?about=Tulayev" in response.content


def test_the_form_is_prefilled_from_the_link(client):
    response = client.get(reverse("feedback:form") + "?about=Tulayev&page=/essays/tulayev/")

    form = response.context["form"]
    assert response.status_code == 200
    assert form["about"].value() == "Tulayev"
    assert form["page"].value() == "/essays/tulayev/"


@pytest.mark.parametrize(
    "page", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/a\\b"]
)
def test_a_page_that_is_not_a_local_path_is_not_kept(client, page):
    response = client.get(reverse("feedback:form"), {"page": page})

    assert response.context["form"]["page"].value() == ""


def test_a_valid_message_is_stored_and_the_reader_is_thanked(send_feedback):
    response = send_feedback(
        "?page=/essays/tulayev/", name="Ann", email="ann@example.org", about="Tulayev"
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:thanks")
    feedback = Feedback.objects.get()
    assert (feedback.name, feedback.email, feedback.about) == ("Ann", "ann@example.org", "Tulayev")
    assert feedback.page_url == "/essays/tulayev/"
    assert feedback.status == Feedback.Status.NEW


def test_the_thank_you_page_is_shown(client):
    response = client.get(reverse("feedback:thanks"))

    assert response.status_code == 200
    assert b"Thank you" in response.content


def test_name_email_and_about_are_optional(send_feedback):
    send_feedback(name="", email="", about="")

    assert Feedback.objects.get().name == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "Too short"}, "message"),
        ({"message": "x" * 5001}, "message"),
        ({"email": "not an address"}, "email"),
        ({"name": "n" * 201}, "name"),
    ],
)
def test_an_invalid_message_is_shown_again_with_a_field_error(send_feedback, fields, field):
    response = send_feedback(**fields)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Feedback.objects.count() == 0


def test_a_message_of_exactly_ten_and_five_thousand_characters_is_accepted(send_feedback):
    send_feedback(message="x" * 10)
    send_feedback(message="y" * 5000)

    assert Feedback.objects.count() == 2


def test_the_readers_values_are_kept_after_an_error(send_feedback):
    response = send_feedback(name="Ann", email="ann@", message="A long enough message here.")

    assert b'value="Ann"' in response.content
    assert b"A long enough message here." in response.content
    assert b"Enter a valid email address." in response.content


def test_hostile_text_sent_back_with_an_error_is_escaped(send_feedback):
    response = send_feedback(name='"><script>alert(1)</script>', message="<b>short")

    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content
    assert b"&lt;b&gt;short" in response.content


def test_the_form_only_accepts_get_and_post(client):
    assert client.put(reverse("feedback:form")).status_code == 405


def test_the_form_page_costs_no_query_once_the_menu_is_cached(client, django_assert_num_queries):
    client.get(reverse("feedback:form"))  # reads the menu, kept until a section changes
    with django_assert_num_queries(0):
        client.get(reverse("feedback:form"))


def test_a_new_message_costs_five_queries(client, open_form, django_assert_num_queries):
    data = open_form()

    # Blocked words, the insert in its own transaction, the notification flag.
    with django_assert_num_queries(5):
        client.post(reverse("feedback:form"), data)


def test_line_breaks_count_as_one_character_as_in_the_browser(send_feedback):
    message = ("x" * 99 + "\r\n") * 50  # 5,000 characters in the browser, 5,050 sent

    response = send_feedback(message=message)

    assert response.status_code == 302
    assert Feedback.objects.get().message == message.replace("\r\n", "\n").strip()
