import csv
from itertools import chain
from urllib.parse import quote

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator

from .models import BlockedWord, Feedback

CSV_COLUMNS = [
    "id", "received_at", "status", "status_reason", "name", "email", "about", "page_url",
    "message", "notification_pending",
]  # fmt: skip


def csv_cell(value):
    # A spreadsheet runs a cell that starts with one of these as a formula:
    # a reader's text must stay text.
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


class _Echo:
    def write(self, value):
        return value


def _set_status(status, label):
    def action(modeladmin, request, queryset):
        count = queryset.update(status=status)
        modeladmin.message_user(request, f"{count} message(s) marked as {label}.", messages.SUCCESS)

    action.__name__ = f"mark_{status}"
    action.short_description = f"Mark selected messages as {label}"
    action.allowed_permissions = ("change",)
    return action


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["received_at", "sender", "about", "excerpt", "status", "notification_pending"]
    list_filter = ["status", "notification_pending", "received_at"]
    search_fields = ["name", "email", "about", "message"]
    date_hierarchy = "received_at"
    list_per_page = 50
    actions = [
        _set_status(Feedback.Status.READ, "read"),
        _set_status(Feedback.Status.REPLIED, "replied"),
        _set_status(Feedback.Status.NEW, "new"),
        _set_status(Feedback.Status.SPAM, "spam"),
        "export_csv",
    ]
    fields = [
        "status", "status_reason", "reply_link", "name", "email", "about", "page_url",
        "received_at", "notification_pending", "message",
    ]  # fmt: skip
    # Only the status is the editor's to change; the rest is what the reader sent.
    readonly_fields = [name for name in fields if name != "status"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="from")
    def sender(self, obj):
        return obj.name or obj.email or "Anonymous"

    @admin.display(description="message")
    def excerpt(self, obj):
        return Truncator(obj.message).chars(90)

    @admin.display(description="reply")
    def reply_link(self, obj):
        if not obj.email:
            return "No email address given."
        subject = quote(f"Re: {obj.about or 'your message'}"[:120])
        return format_html(
            '<a href="mailto:{}?subject={}">Reply by email to {}</a>',
            quote(obj.email, safe="@"),
            subject,
            obj.email,
        )

    @admin.action(description="Export selected messages as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    def get_urls(self):
        export = path(
            "export.csv",
            self.admin_site.admin_view(self.export_view),
            name="feedback_feedback_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """The change list as it is filtered and searched, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("These filters are not valid.")
        return self._csv_response(changelist.get_queryset(request))

    def _csv_response(self, queryset):
        writer = csv.writer(_Echo())
        # Streamed row by row: an export of years of messages never sits in memory.
        rows = (
            writer.writerow([csv_cell(getattr(item, column)) for column in CSV_COLUMNS])
            for item in queryset.order_by("received_at", "pk").iterator()
        )
        response = StreamingHttpResponse(
            chain([writer.writerow(CSV_COLUMNS)], rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="feedback.csv"'
        return response


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "added_at"]
    search_fields = ["word"]
