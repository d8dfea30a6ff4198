"""
Editors must never lose an edit in the admin.

`EditSafetyMixin` goes first in a ModelAdmin's bases. It brings:

- in the browser (static/js/edit-safety.js): a prompt before leaving a
  changed form, and a draft of the form kept in localStorage while the
  editor types, offered back when the page is opened again;
- on the server: the change form carries the version it was loaded from
  (the object's `updated_at`, signed), and a save over a version someone
  else saved in the meantime is refused with a form error that says who
  saved it and when, and links to the object's history. The editor's text
  stays in the form; saving again, having read the message, replaces the
  other version on purpose.
"""

import datetime

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import router, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html

VERSION_FIELD = "edit_version"


def _salt(instance):
    # A token only fits the object it was made for.
    return f"sergesite.admin_safety:{instance._meta.label_lower}:{instance.pk}"


def version_token(instance, version):
    return signing.dumps(version.isoformat(), salt=_salt(instance))


def _last_change(instance, since):
    """(who, when) of the latest admin change after `since`, or None: saves outside the admin
    (an import, a rescan) leave no log entry."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    entry = (
        LogEntry.objects.filter(
            content_type=content_type, object_id=str(instance.pk), action_time__gt=since
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is None:
        return None
    return entry.user.get_full_name() or entry.user.get_username(), entry.action_time


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i:s")


class _VersionInput(forms.HiddenInput):
    # The admin writes a label for every field it shows; a label "for" a
    # hidden input is invalid HTML, so this one points nowhere.
    def id_for_label(self, id_):
        return None


class EditVersionForm(forms.Form):
    """Mixed into the admin's ModelForm for a change (never an add) by EditSafetyMixin."""

    version_field = "updated_at"

    # Not required: a client that does not send it (a script, an old test)
    # opts out of the check. A token that is sent must be genuine.
    edit_version = forms.CharField(required=False, label="Version", widget=_VersionInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = getattr(self.instance, self.version_field)
        self.initial[VERSION_FIELD] = version_token(self.instance, version)

    def clean_edit_version(self):
        token = self.cleaned_data[VERSION_FIELD]
        if not token:
            return None
        try:
            return datetime.datetime.fromisoformat(signing.loads(token, salt=_salt(self.instance)))
        except (signing.BadSignature, ValueError):
            raise forms.ValidationError(
                "This form was damaged or belongs to another record: open the record again."
            ) from None

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get(VERSION_FIELD)
        if loaded is None:
            return cleaned
        stored = self._stored_version()
        if stored is not None and stored != loaded:
            self._refuse(loaded, stored)
        return cleaned

    def _stored_version(self):
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        # Inside the admin's transaction, lock the row until this save is
        # written: a save that starts meanwhile waits, then sees this one.
        # (SQLite takes its write lock when the transaction begins.)
        if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            rows = rows.select_for_update()
        return rows.values_list(self.version_field, flat=True).first()

    def _refuse(self, loaded, stored):
        instance = self.instance
        change = _last_change(instance, since=loaded)
        who = (
            format_html("{} saved it on {}", change[0], _when(change[1]))
            if change
            else format_html("It was saved again on {}", _when(stored))
        )
        history = reverse(
            f"admin:{instance._meta.app_label}_{instance._meta.model_name}_history",
            args=[quote(instance.pk)],
        )
        self.add_error(
            None,
            format_html(
                "This {} changed after you opened it: {}. Your changes are not saved yet: "
                "they are still in the form below. "
                # In a new tab, so that the form and its text stay open here.
                '<a href="{}" target="_blank">Compare with the history (in a new tab)</a>, '
                "then save again to replace that version with yours.",
                instance._meta.verbose_name,
                who,
                history,
            ),
        )
        # The form is shown again carrying the version now stored, so that the
        # next save, made knowingly, goes through (unless it changes again).
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = version_token(instance, stored)


class EditSafetyMixin:
    """First among a ModelAdmin's bases; the model needs an auto_now `updated_at`."""

    version_field = "updated_at"

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/edit-safety.js"], css={"all": ["css/edit-safety.css"]}
        )

    def _checks_version(self, request, obj):
        # A view-only user gets read-only fields: there is nothing to save.
        return obj is not None and self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._checks_version(request, obj):
            return fieldsets
        return [*fieldsets, (None, {"fields": [VERSION_FIELD], "classes": ["hidden"]})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._checks_version(request, obj) and "form" not in kwargs:
            # As ModelAdmin.get_form does: declared fields shown read-only are dropped.
            readonly = self.get_readonly_fields(request, obj)
            attrs = dict.fromkeys(f for f in readonly if f in self.form.declared_fields)
            attrs["version_field"] = self.version_field
            kwargs["form"] = type(self.form.__name__, (EditVersionForm, self.form), attrs)
        return super().get_form(request, obj, change, **kwargs)
