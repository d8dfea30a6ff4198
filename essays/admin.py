from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from search.admin import SearchAdminMixin

from .admin_import import import_urls
from .models import Essay, Section

MARKDOWN_WIDGET = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "menu_order", "show_in_menu", "essay_count"]
    list_editable = ["menu_order", "show_in_menu"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGET
    fields = ["title", "slug", "menu_order", "show_in_menu", "intro"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(essay_total=Count("essays"))

    @admin.display(description="essays", ordering="essay_total")
    def essay_count(self, section):
        return section.essay_total


@admin.register(Essay)
class EssayAdmin(SearchAdminMixin, admin.ModelAdmin):
    search_kind = "essay"
    list_display = ["title", "section", "status", "published_at", "updated_at", "is_public"]
    list_filter = ["status", "section", "tags"]
    list_select_related = ["section"]
    search_fields = ["title", "slug", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["part_of", "people", "works"]
    formfield_overrides = MARKDOWN_WIDGET
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    list_per_page = 50
    # The admin's "View on site" goes through get_absolute_url; staff see
    # drafts there as a marked preview, so it works before publishing too.
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "author", "summary"]}),
        ("Text", {"fields": ["body"]}),
        (
            "Publishing",
            {
                "fields": ["status", "published_at", ("created_at", "updated_at")],
                "description": "Readers see an essay once it is published and its "
                "date has come. A published essay with no date is given today's.",
            },
        ),
        (
            "What it discusses",
            {"fields": ["tags", "part_of", "people", "works"]},
        ),
        (
            "Old site",
            {"fields": ["legacy_url"], "classes": ["collapse"]},
        ),
    ]

    def get_urls(self):
        return [*import_urls(self), *super().get_urls()]

    @admin.display(description="visible to readers", boolean=True)
    def is_public(self, essay):
        return essay.is_public

    @admin.action(description="Publish the selected essays")
    def publish(self, request, queryset):
        now = timezone.now()
        # Scheduled essays keep their date; undated ones are published now.
        undated = queryset.filter(published_at__isnull=True).update(
            status=Essay.Status.PUBLISHED, published_at=now
        )
        dated = queryset.exclude(status=Essay.Status.PUBLISHED).update(
            status=Essay.Status.PUBLISHED
        )
        self.message_user(request, f"Published {undated + dated} essays.", messages.SUCCESS)

    @admin.action(description="Return the selected essays to draft")
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Essay.Status.PUBLISHED).update(status=Essay.Status.DRAFT)
        self.message_user(request, f"Returned {count} essays to draft.", messages.SUCCESS)
