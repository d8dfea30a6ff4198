"""
Precision and recall of the mentions linked without review, against an
annotated gold set: the demo essays and the texts in gold/ (see expected.json).
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from essays.models import Essay, Mention, Section
from sergesite.mention_links import essay_text
from tests.factories import make_essay, make_person

pytestmark = pytest.mark.django_db

GOLD = Path(__file__).parent / "gold"
MIN_PRECISION = 0.95
MIN_RECALL = 0.9


def _occurrence(text, phrase, position):
    """Which occurrence of phrase in text starts at position (1 for the first)."""
    count, index = 0, text.find(phrase)
    while index != -1 and index <= position:
        count += 1
        index = text.find(phrase, index + 1)
    return count


@pytest.fixture
def corpus():
    call_command("load_demo", stdout=io.StringIO())
    # Beside the demo's people: two invented namesakes and a hyphenated name.
    make_person(name="Marta Vogel", sort_name="Vogel, Marta", slug="marta-vogel")
    make_person(name="Paul Vogel", sort_name="Vogel, Paul", slug="paul-vogel")
    make_person(
        name="Vladimir Antonov-Ovseenko",
        sort_name="Antonov-Ovseenko, Vladimir",
        slug="vladimir-antonov-ovseenko",
    )
    section = Section.objects.first()
    for path in sorted(GOLD.glob("*.md")):
        make_essay(
            title=path.stem, slug=f"gold-{path.stem}", section=section, body=path.read_text()
        )
    return {
        slug: entries
        for slug, entries in json.loads((GOLD / "expected.json").read_text()).items()
        if not slug.startswith("_")
    }


def _linked_without_review(essay):
    text = essay_text(essay.body_html).text
    found = set()
    for mention in essay.mentions.filter(
        status=Mention.Status.ACCEPTED, decided_by_editor=False
    ).select_related("person", "work"):
        found.add(
            (
                mention.target.slug,
                mention.phrase,
                _occurrence(text, mention.phrase, mention.position),
            )
        )
    return found, text


def test_mentions_accepted_without_review_are_precise_and_complete(corpus):
    true_positives = predicted = expected = 0
    report = []
    for slug, entries in corpus.items():
        essay = Essay.objects.get(slug=slug)
        found, text = _linked_without_review(essay)
        gold = {tuple(entry) for entry in entries}
        for _, phrase, occurrence in gold:
            # A gold entry must point at text that is there, or it proves nothing.
            assert text.count(phrase) >= occurrence, (slug, phrase, occurrence)
        true_positives += len(found & gold)
        predicted += len(found)
        expected += len(gold)
        report += [f"  wrong in {slug}: {item}" for item in sorted(found - gold)]
        report += [f"  missed in {slug}: {item}" for item in sorted(gold - found)]
    precision, recall = true_positives / predicted, true_positives / expected
    print(
        f"\nMentions linked without review: precision {precision:.3f}, recall {recall:.3f} "
        f"({true_positives} right of {predicted} found, {expected} expected)"
    )
    print("\n".join(report))
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


def test_nothing_in_the_gold_set_is_left_without_a_decision_or_a_review(corpus):
    # What the detector holds back goes to editors, never nowhere.
    waiting = Mention.objects.to_review().filter(essay__slug__startswith="gold-")
    assert sorted(waiting.values_list("phrase", flat=True)) == ["James", "Mother", "Vogel", "Vogel"]
