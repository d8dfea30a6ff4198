"""
A starter list of blocked words: spam vocabulary that a reader writing about
the history of the left has no reason to use. Editors change the list in the
admin; a message containing one is held for moderation, never dropped.
"""

from django.db import migrations
from django.db.models.functions import Lower

# Whole words or phrases, matched in any letter case. Nothing here should be a
# word of history or politics: "escort", "crypto" (crypto-Trotskyist) and
# "betting" are left out on purpose.
STARTER_WORDS = [
    "backlinks",
    "casino",
    "cialis",
    "essay writing service",
    "forex",
    "levitra",
    "payday loan",
    "replica watches",
    "seo services",
    "viagra",
    "weight loss",
    "xanax",
]


def add_starter_words(apps, schema_editor):
    BlockedWord = apps.get_model("feedback", "BlockedWord")
    present = set(
        BlockedWord.objects.annotate(lower=Lower("word")).values_list("lower", flat=True)
    )
    BlockedWord.objects.bulk_create(
        [BlockedWord(word=word) for word in STARTER_WORDS if word not in present]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_status_reason_notification_blocked_words"),
    ]

    operations = [
        # Going back leaves the words: by then they are the editors' list.
        migrations.RunPython(add_starter_words, migrations.RunPython.noop),
    ]
