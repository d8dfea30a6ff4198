from django.contrib import admin
from django.db.models import Count, Q
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from search.admin import SearchAdminMixin
from sergesite.admin_safety import EditSafetyMixin
from sergesite.numbers import parse_int
from sergesite.versions_admin import HistoryAdmin

from .models import OtherName, Person


class BirthCenturyFilter(admin.SimpleListFilter):
    title = "century of birth"
    parameter_name = "born"

    def lookups(self, request, model_admin):
        # One small query: the distinct birth years, folded into centuries.
        years = Person.objects.dates("birth_date", "year")
        centuries = sorted({day.year // 100 * 100 for day in years})
        return [(str(start), f"{start}s") for start in centuries] + [("unknown", "Not known")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "unknown":
            return queryset.filter(birth_date__isnull=True)
        # Year lookups build dates, from year 1 to 9999: the first century has no lower bound.
        start = parse_int(value, minimum=0, maximum=9899)
        if start is not None:
            after = Q(birth_date__year__gte=start) if start else Q()
            return queryset.filter(after, birth_date__year__lt=start + 100)
        return queryset


class HasBiographyFilter(admin.SimpleListFilter):
    title = "biography"
    parameter_name = "biography"

    def lookups(self, request, model_admin):
        return [("yes", "Written"), ("no", "Still to write")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(biography="")
        if self.value() == "no":
            return queryset.filter(biography="")
        return queryset


class OtherNameInline(admin.TabularInline):
    model = OtherName
    extra = 1
    fields = ["name", "kind", "note"]


@admin.register(Person)
class PersonAdmin(EditSafetyMixin, SearchAdminMixin, HistoryAdmin):
    search_kind = "person"
    list_display = ["name", "sort_name", "lifespan", "description", "other_name_count"]
    list_display_links = ["name"]
    # Other names let editors (and the essay admin's autocomplete) find
    # "Bronstein" or "Kibalchich"; the admin adds DISTINCT itself.
    search_fields = ["name", "sort_name", "other_names__name"]
    list_filter = [BirthCenturyFilter, HasBiographyFilter]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OtherNameInline]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    list_per_page = 50
    fieldsets = [
        ("Names", {"fields": ["name", "sort_name", "slug", "description"]}),
        (
            "Life",
            {
                "fields": [
                    ("birth_date", "birth_precision"),
                    "birth_place",
                    ("death_date", "death_precision"),
                    "death_place",
                ]
            },
        ),
        ("Identifiers", {"fields": ["wikidata", "viaf"]}),
        ("Biography", {"fields": ["biography"]}),
    ]

    def get_queryset(self, request):
        # The count makes this a GROUP BY query, which drops Meta.ordering: the
        # autocomplete that other admins use would page through an unordered list.
        return (
            super()
            .get_queryset(request)
            .annotate(other_name_total=Count("other_names"))
            .order_by(*Person._meta.ordering)
        )

    @admin.display(description="lifespan", ordering="birth_date")
    def lifespan(self, person):
        return person.lifespan

    @admin.display(description="other names", ordering="other_name_total")
    def other_name_count(self, person):
        return person.other_name_total
