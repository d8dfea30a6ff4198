"""Editors review mentions in the admin; their decisions outlive rescans."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from essays.models import Mention, UnlinkedPhrase
from tests.factories import make_essay

pytestmark = pytest.mark.django_db


def _change_form(essay, mentions, **changes):
    """The essay change form as the admin posts it, with the mention rows."""
    data = {
        "title": essay.title,
        "slug": essay.slug,
        "section": essay.section_id,
        "author": "",
        "summary": "",
        "body": essay.body,
        "status": essay.status,
        "published_at_0": essay.published_at.strftime("%Y-%m-%d"),
        "published_at_1": essay.published_at.strftime("%H:%M:%S"),
        "tags": "",
        "legacy_url": "",
        "mentions-TOTAL_FORMS": str(len(mentions)),
        "mentions-INITIAL_FORMS": str(len(mentions)),
        "mentions-MIN_NUM_FORMS": "0",
        "mentions-MAX_NUM_FORMS": "1000",
    }
    for index, mention in enumerate(mentions):
        data[f"mentions-{index}-id"] = str(mention.pk)
        data[f"mentions-{index}-essay"] = str(essay.pk)
        data[f"mentions-{index}-status"] = mention.status
    data.update(changes)
    return data


def _rows(essay):
    return list(essay.mentions.order_by("-ambiguous", "status", "position"))


def test_the_essay_page_in_the_admin_shows_each_mention_with_its_context(admin_client, people):
    essay = make_essay(body="In 1929 Trotsky left Russia.")

    page = admin_client.get(reverse("admin:essays_essay_change", args=[essay.pk]))

    assert page.status_code == 200
    assert "In 1929 Trotsky left Russia." in page.content.decode()
    assert people["trotsky"].get_absolute_url() in page.content.decode()


def test_an_editor_rejects_a_mention_on_the_essay_page_and_the_link_goes(admin_client, people):
    essay = make_essay(body="Trotsky wrote.")
    [row] = _rows(essay)

    response = admin_client.post(
        reverse("admin:essays_essay_change", args=[essay.pk]),
        _change_form(essay, [row], **{"mentions-0-status": "rejected"}),
    )

    assert response.status_code == 302
    row.refresh_from_db()
    essay.refresh_from_db()
    assert (row.status, row.decided_by_editor) == (Mention.Status.REJECTED, True)
    assert 'class="mention"' not in essay.body_html


def test_accepting_one_reading_of_an_ambiguous_name_links_it_and_rejects_the_other(
    admin_client, people
):
    essay = make_essay(body="Vogel spoke.")
    rows = _rows(essay)
    marta = next(i for i, r in enumerate(rows) if r.person == people["marta"])

    admin_client.post(
        reverse("admin:essays_essay_change", args=[essay.pk]),
        _change_form(essay, rows, **{f"mentions-{marta}-status": "accepted"}),
    )

    essay.refresh_from_db()
    statuses = dict(essay.mentions.values_list("person__name", "status"))
    assert statuses == {"Marta Vogel": "accepted", "Paul Vogel": "rejected"}
    assert people["marta"].get_absolute_url() in essay.body_html


def test_a_decision_can_cover_every_mention_of_the_phrase_in_the_essay(admin_client, people):
    essay = make_essay(body="Vogel spoke.\n\n## Later\n\nVogel spoke again.")
    rows = _rows(essay)
    first = next(i for i, r in enumerate(rows) if r.person == people["paul"])

    admin_client.post(
        reverse("admin:essays_essay_change", args=[essay.pk]),
        _change_form(
            essay,
            rows,
            **{f"mentions-{first}-status": "accepted", f"mentions-{first}-everywhere": "on"},
        ),
    )

    essay.refresh_from_db()
    assert essay.body_html.count(people["paul"].get_absolute_url()) == 2


def test_editor_decisions_survive_a_rescan_after_the_text_moves(admin_client, people):
    essay = make_essay(body="Trotsky wrote.\n\nGoldman answered.")
    admin_client.post(
        reverse("admin:essays_mention_changelist"),
        {"action": "reject", "_selected_action": [essay.mentions.get(person=people["goldman"]).pk]},
    )

    essay.body = "A new first paragraph.\n\nTrotsky wrote at length.\n\nGoldman answered."
    essay.save()

    goldman = essay.mentions.get(person=people["goldman"])
    assert (goldman.status, goldman.decided_by_editor) == ("rejected", True)
    assert people["goldman"].get_absolute_url() not in essay.body_html
    assert people["trotsky"].get_absolute_url() in essay.body_html


def test_bulk_accept_in_the_mention_list_links_them(admin_client, people):
    essay = make_essay(body="Henry Goldman wrote.")  # a surname beside a first name: proposed
    mention = essay.mentions.get()
    assert mention.status == Mention.Status.PROPOSED

    response = admin_client.post(
        reverse("admin:essays_mention_changelist"),
        {"action": "accept", "_selected_action": [mention.pk]},
    )

    assert response.status_code == 302
    essay.refresh_from_db()
    assert people["goldman"].get_absolute_url() in essay.body_html


def test_never_link_makes_an_unlinked_phrase_and_removes_its_links(admin_client, people):
    essay = make_essay(body="Trotzki wrote.")
    mention = essay.mentions.get()
    assert mention.status == Mention.Status.ACCEPTED

    admin_client.post(
        reverse("admin:essays_mention_changelist"),
        {"action": "never_link", "_selected_action": [mention.pk]},
    )

    assert UnlinkedPhrase.objects.filter(phrase="Trotzki").exists()
    essay.refresh_from_db()
    assert 'class="mention"' not in essay.body_html
    assert essay.mentions.get().status == Mention.Status.REJECTED
    # And in essays written later too.
    later = make_essay(body="Trotzki again.")
    assert later.mentions.get().status == Mention.Status.REJECTED


def test_the_mention_list_filters_by_status_and_ambiguity(admin_client, people):
    make_essay(body="Vogel and Trotsky.")
    url = reverse("admin:essays_mention_changelist")

    ambiguous = admin_client.get(url, {"ambiguous__exact": "1"})
    accepted = admin_client.get(url, {"status__exact": "accepted"})

    assert ambiguous.context["cl"].result_count == 2
    assert [m.phrase for m in accepted.context["cl"].result_list] == ["Trotsky"]


def test_staff_without_permission_cannot_review_mentions(client, people):
    clerk = User.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)

    assert client.get(reverse("admin:essays_mention_changelist")).status_code == 403
