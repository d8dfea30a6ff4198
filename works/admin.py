from django.contrib import admin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from search.admin import SearchAdminMixin
from sergesite.admin_safety import EditSafetyMixin
from sergesite.numbers import parse_int
from sergesite.versions_admin import HistoryAdmin

from .models import Contribution, Work


class DecadeFilter(admin.SimpleListFilter):
    title = "decade"
    parameter_name = "decade"

    def lookups(self, request, model_admin):
        years = Work.objects.with_year().exclude(sort_year=None).values_list("sort_year", flat=True)
        decades = sorted({year // 10 * 10 for year in years.distinct()})
        return [(str(decade), f"{decade}s") for decade in decades] + [("unknown", "No year")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "unknown":
            return queryset.filter(sort_year=None)
        start = parse_int(value, minimum=0, maximum=9999)
        if start is not None:
            # sort_year comes from WorkAdmin.get_queryset.
            return queryset.filter(sort_year__gte=start, sort_year__lt=start + 10)
        return queryset


class OriginalLanguageFilter(admin.SimpleListFilter):
    title = "original language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        codes = (
            Work.objects.exclude(original_language="")
            .order_by("original_language")
            .values_list("original_language", flat=True)
            .distinct()
        )
        return [(code, code) for code in codes]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(original_language=self.value())
        return queryset


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 1
    fields = ["person", "role", "order"]
    autocomplete_fields = ["person"]


@admin.register(Work)
class WorkAdmin(EditSafetyMixin, SearchAdminMixin, HistoryAdmin):
    search_kind = "work"
    list_display = ["title", "kind", "year", "authors"]
    search_fields = [
        "title",
        "original_title",
        "subtitle",
        "contributions__person__name",
        "contributions__person__sort_name",
    ]
    list_filter = ["kind", OriginalLanguageFilter, DecadeFilter]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["part_of", "translation_of"]
    inlines = [ContributionInline]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_per_page = 50
    fieldsets = [
        ("Title", {"fields": ["title", "subtitle", "slug", "kind"]}),
        ("Original", {"fields": ["original_title", "original_language"]}),
        (
            "Dates",
            {
                "fields": [
                    ("year_written", "year_written_end"),
                    "year_published",
                    "year_published_english",
                    "date_note",
                ]
            },
        ),
        ("Publication", {"fields": ["publisher", "place", "isbn", "online_url"]}),
        ("Related works", {"fields": ["part_of", "translation_of"]}),
        ("Notes", {"fields": ["notes"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_year().prefetch_related("contributions__person")

    @admin.display(description="year", ordering="sort_year")
    def year(self, work):
        return work.sort_year

    @admin.display(description="authors")
    def authors(self, work):
        return ", ".join(person.name for person in work.authors)
