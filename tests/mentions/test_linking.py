"""Saving an essay finds what it names, links it once per section, and anchors paragraphs."""

import re

import pytest

from essays.models import Essay, Mention
from search.models import Document
from sergesite.markup import render
from sergesite.mention_links import link_mentions
from tests.factories import make_essay
from tests.xss_payloads import XSS_PAYLOADS, find_executable_markup

pytestmark = pytest.mark.django_db


def links_to(html, target):
    return re.findall(rf'<a href="{re.escape(target.get_absolute_url())}" class="mention"', html)


def test_saving_an_essay_links_the_first_mention_of_each_person_per_section(people):
    trotsky = people["trotsky"]
    essay = make_essay(
        body="Trotsky wrote. Trotsky wrote again.\n\n## Exile\n\nIn exile Trotsky wrote more."
    )

    assert len(links_to(essay.body_html, trotsky)) == 2
    assert Mention.objects.filter(essay=essay, person=trotsky).count() == 3
    assert set(essay.mentions.values_list("status", flat=True)) == {Mention.Status.ACCEPTED}


def test_existing_links_headings_and_code_are_never_linked(people):
    trotsky = people["trotsky"]
    essay = make_essay(
        body="## Trotsky in exile\n\n[Trotsky](https://example.org/t) wrote; "
        "`Trotsky` is code.\n\n    Trotsky in a code block\n"
    )

    assert links_to(essay.body_html, trotsky) == []
    assert "<a" not in essay.body_html.split("example.org/t")[1].split("</a>")[0]
    # Headings and existing links still count as mentions; code does not.
    assert essay.mentions.count() == 2


def test_auto_links_never_nest_when_an_essay_is_saved_again(people):
    essay = make_essay(body="Leon Trotsky wrote.")
    essay.save()
    essay.save()

    assert essay.body_html.count("<a ") == 1
    assert essay.body_html.count('class="mention"') == 1


def test_mentions_in_quotations_footnotes_and_tables_are_found(people):
    essay = make_essay(
        body="> Goldman was right.\n\nA claim.[^1]\n\n| who |\n|---|\n| Trotsky |\n\n"
        "[^1]: See Leon Trotsky.\n"
    )

    assert sorted(essay.mentions.values_list("phrase", flat=True)) == [
        "Goldman",
        "Leon Trotsky",
        "Trotsky",
    ]


def test_a_footnote_number_does_not_hide_the_name_before_it(people):
    essay = make_essay(body="As Trotsky[^1] said.\n\n[^1]: Source.")

    assert essay.mentions.get().phrase == "Trotsky"


def test_a_surname_shared_by_two_people_is_never_linked_until_an_editor_picks_one(people):
    essay = make_essay(body="Vogel spoke first.")

    rows = essay.mentions.order_by("person__name")
    assert [(r.person.name, r.status, r.ambiguous) for r in rows] == [
        ("Marta Vogel", Mention.Status.PROPOSED, True),
        ("Paul Vogel", Mention.Status.PROPOSED, True),
    ]
    assert 'class="mention"' not in essay.body_html


def test_paragraph_anchors_stay_when_other_paragraphs_change(people):
    essay = make_essay(body="First paragraph.\n\nSecond paragraph about Trotsky.")
    second = re.findall(r'<p id="([^"]+)">Second', essay.body_html)

    essay.body = "A new opening.\n\nFirst paragraph, edited.\n\nSecond paragraph about Trotsky."
    essay.save()

    assert re.findall(r'<p id="([^"]+)">Second', essay.body_html) == second
    assert essay.mentions.get().anchor == second[0]


def test_identical_paragraphs_get_distinct_anchors():
    essay = make_essay(body="Same words.\n\nSame words.\n\n> Same words.")

    ids = re.findall(r'<p id="([^"]+)"', essay.body_html)
    assert len(ids) == 3 and len(set(ids)) == 3
    assert ids[1] == ids[0] + "-2"


def test_a_mention_records_its_paragraph_and_sentence(people):
    essay = make_essay(body="Intro.\n\nIn 1929 Trotsky left Russia. He never came back.")

    mention = essay.mentions.get()
    paragraph_id = re.search(r'<p id="([^"]+)">In 1929', essay.body_html).group(1)
    assert mention.anchor == paragraph_id
    assert mention.context == "In 1929 Trotsky left Russia."


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:15])
def test_linking_keeps_the_html_sanitized(people, payload):
    essay = make_essay(body=f"Trotsky said {payload} and Trotsky again.\n\n{payload} Goldman")

    assert find_executable_markup(essay.body_html) == []


def test_a_common_word_title_is_linked_only_when_set_as_a_title_beside_its_author(works):
    essay = make_essay(
        body="Gorky's *Mother* was read widely.\n\n## Later\n\nMother was a word. "
        "Her mother came. Gorky's Mother again."
    )

    by_status = dict(essay.mentions.filter(work=works["mother"]).values_list("position", "status"))
    assert sorted(by_status.values()) == [Mention.Status.ACCEPTED, Mention.Status.PROPOSED]
    assert len(links_to(essay.body_html, works["mother"])) == 1


def test_a_distinctive_title_is_linked(works):
    essay = make_essay(body="Read The Revolution Betrayed (1937).")

    assert len(links_to(essay.body_html, works["betrayed"])) == 1


def test_the_linked_html_is_what_is_stored_and_what_the_search_index_reads(people):
    essay = make_essay(body="Trotsky, in *Mexico*.")

    stored = Essay.objects.get(pk=essay.pk)
    assert stored.body_html == essay.body_html
    assert 'class="mention"' in stored.body_html
    document = Document.objects.get(kind="essay", object_id=essay.pk)
    assert document.body.strip() == "Trotsky, in Mexico."


def test_an_essay_naming_nobody_keeps_the_html_the_renderer_made(people):
    essay = make_essay(body="A paragraph about *nobody* the site knows, with a [link](/x/).")

    assert essay.body_html == render(essay.body, anchors=True).html
    assert not essay.mentions.exists()


def test_an_old_mention_link_is_taken_out_when_nobody_is_named_any_more():
    stale = '<p>Once <a class="footnote-ref mention" href="/people/x/">Serge</a> was here.</p>'

    assert link_mentions(stale, []) == "<p>Once Serge was here.</p>"
