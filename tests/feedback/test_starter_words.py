import io

import pytest
from django.core.management import call_command

from feedback.models import BlockedWord, Feedback
from tests.factories import make_feedback

pytestmark = pytest.mark.django_db

STARTER = {"viagra", "casino", "cialis", "payday loan", "forex", "replica watches"}


def test_a_migrated_database_has_the_starter_blocked_words():
    words = set(BlockedWord.objects.values_list("word", flat=True))

    assert words >= STARTER
    assert len(words) >= 12


def test_an_archive_with_feedback_replaces_the_starter_words_of_a_fresh_database(tmp_path):
    archive = tmp_path / "site.zip"
    make_feedback(message="Thanks for the Serge essay.")
    BlockedWord.objects.filter(word="forex").delete()  # an editor's changes
    BlockedWord.objects.create(word="roulette")
    call_command("export_site", str(archive), "--with-feedback", stdout=io.StringIO())
    # What a freshly migrated database holds: no feedback, the starter list.
    Feedback.objects.all().delete()
    BlockedWord.objects.filter(word="roulette").delete()
    BlockedWord.objects.create(word="forex")

    call_command("import_site", str(archive), stdout=io.StringIO(), stderr=io.StringIO())

    words = set(BlockedWord.objects.values_list("word", flat=True))
    assert "roulette" in words and "forex" not in words
    assert Feedback.objects.count() == 1
