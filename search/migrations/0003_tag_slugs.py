import importlib

from django.db import migrations, models

full_text = importlib.import_module("search.migrations.0002_full_text")


def recreate_triggers(apps, schema_editor):
    # SQLite adds this column by rebuilding search_document, which drops its
    # triggers; the FTS tables keep their rows, since the ids do not change.
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in full_text.SQLITE_FORWARD:
        if statement.startswith("CREATE TRIGGER"):
            name = statement.split()[2]
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="tag_slugs",
            field=models.TextField(blank=True, db_default=""),
        ),
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]
