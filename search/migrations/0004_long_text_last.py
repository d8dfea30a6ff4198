import importlib

from django.db import migrations

full_text = importlib.import_module("search.migrations.0002_full_text")

# The model's order: every small column before the long text.
COLUMN_ORDER = [
    "id", "kind", "object_id", "is_published", "published_at", "decade", "section",
    "section_title", "title", "names", "tag_slugs", "url", "meta",
    "other_names", "summary", "tags", "body",
]  # fmt: skip


class PutLongTextLast(migrations.operations.base.Operation):
    """
    0003 added tag_slugs, and SQLite stores an added column after the others,
    behind a 30 KB body: reading it meant walking the body's overflow pages,
    80% of the time of a search for a common word. This rebuilds the table in
    the model's order, and records that order in the migration state, since
    SQLite rebuilds a table from the state whenever a later migration alters it.
    """

    reversible = True

    def state_forwards(self, app_label, state):
        model = state.models[app_label, "document"]
        model.fields = {name: model.fields[name] for name in COLUMN_ORDER}
        state.reload_model(app_label, "document", delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return
        schema_editor._remake_table(to_state.apps.get_model(app_label, "document"))
        # The rebuild drops the triggers; the FTS tables keep their rows,
        # since the ids do not change.
        for statement in full_text.SQLITE_FORWARD:
            if statement.startswith("CREATE TRIGGER"):
                schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Put the long text columns of search documents last"


class Migration(migrations.Migration):
    dependencies = [("search", "0003_tag_slugs")]

    operations = [PutLongTextLast()]
