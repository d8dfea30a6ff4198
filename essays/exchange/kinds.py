"""
What an export holds: one kind per model, read and written field by field.

Fields are found by iterating the model's concrete fields, so adding or
removing a field needs no change here. Relations are written as the natural
key of the record they point at (a slug), never as a database id.
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Kind:
    name: str  # the file in the archive is <name>.json
    model_label: str
    key: str | None = None  # the field other records name this one by
    app: str | None = None  # only when this app is installed
    optional: bool = False  # only with --with-feedback
    seeded: bool = False  # a migration fills it: replaced by an import, not counted as content

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def installed(self):
        return apps.is_installed(self.app) if self.app else True


# In the order they are loaded: a kind may only point at the kinds above it
# (or at itself, which is set in a second pass).
KINDS = [
    Kind("sections", "essays.Section", key="slug"),
    Kind("tags", "taggit.Tag", key="slug"),
    Kind("people", "people.Person", key="slug"),
    Kind("other_names", "people.OtherName"),
    Kind("site_settings", "siteinfo.SiteSettings", app="siteinfo", seeded=True),
    Kind("works", "works.Work", key="slug"),
    Kind("contributions", "works.Contribution"),
    Kind("unlinked_phrases", "essays.UnlinkedPhrase", key="phrase"),
    Kind("essays", "essays.Essay", key="slug"),
    Kind("essay_authors", "essays.EssayAuthor"),
    Kind("mentions", "essays.Mention"),
    Kind("redirects", "redirects.Redirect", app="django.contrib.redirects"),
    Kind("feedback", "feedback.Feedback", app="feedback", optional=True),
    Kind("blocked_words", "feedback.BlockedWord", app="feedback", optional=True, seeded=True),
]
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}

# Whatever save() computes is left out: the HTML and contents it renders
# from the Markdown, and a person's filing letter and key (from the sort
# name). The import saves through the models, which compute it again (and
# sanitize the HTML) on this site.
DERIVED = {"toc", "sort_initial", "sort_key"}


def is_derived(field):
    return field.name.endswith("_html") or field.name in DERIVED


def key_field_for(model):
    """The natural key of a model the export knows, or None."""
    for kind in KINDS:
        if kind.key and kind.installed and kind.model is model:
            return kind.key
    return None


def is_current_site(field):
    # A redirect belongs to "this site": the one SITE_ID names, whatever its
    # domain was on the old server.
    return field.related_model._meta.label == "sites.Site"


def fields_of(model):
    """
    (plain fields, relations, skipped) of the model: the concrete fields the
    export writes, minus the primary key and what save() derives. A relation
    to a model with no natural key here cannot be written, so it is skipped
    and named in the report.
    """
    plain, relations, skipped = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or is_derived(field):
            continue
        if not field.is_relation:
            plain.append(field)
        elif is_current_site(field):
            continue
        elif key_field_for(field.related_model):
            relations.append(field)
        else:
            skipped.append(f"{model._meta.label}.{field.name}")
    return plain, relations, skipped


def timestamp_fields(model):
    """The fields Django sets by itself on save: the import puts them back afterwards."""
    return [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]


def to_json(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # full precision, unlike DjangoJSONEncoder
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return value


class ManyToMany:
    """
    A many-to-many relation written as a list of natural keys on its owner,
    in the order the links were made (tag lists are shown in that order).
    Plain many-to-many fields and taggit's tags both fit; a relation with its
    own model (a work's contributors) is a kind of its own instead.
    """

    def __init__(self, model, field):
        self.model, self.field, self.name = model, field, field.name
        self.through = field.remote_field.through
        self.target = field.related_model
        self.target_key = key_field_for(self.target)
        self.tagged = not self.through._meta.auto_created
        if self.tagged:
            self.source_attname, self.target_attname = "object_id", "tag_id"
        else:
            self.source_attname = self.through._meta.get_field(field.m2m_field_name()).attname
            self.target_attname = self.through._meta.get_field(
                field.m2m_reverse_field_name()
            ).attname

    def links(self):
        rows = self.through._default_manager.order_by("pk")
        if self.tagged:
            rows = rows.filter(content_type=ContentType.objects.get_for_model(self.model))
        return rows.values_list(self.source_attname, self.target_attname)

    def new_link(self, source_pk, target_pk):
        values = {self.source_attname: source_pk, self.target_attname: target_pk}
        if self.tagged:
            values["content_type"] = ContentType.objects.get_for_model(self.model)
        return self.through(**values)


def many_to_many_of(model):
    relations, skipped = [], []
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        is_tags = type(field).__name__ == "TaggableManager"
        if not (through._meta.auto_created or is_tags):
            continue  # written as its own kind, like works.Contribution
        if key_field_for(field.related_model):
            relations.append(ManyToMany(model, field))
        else:
            skipped.append(f"{model._meta.label}.{field.name}")
    return relations, skipped
