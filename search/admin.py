from django.contrib import admin
from django.contrib.admin import helpers

from . import index, registry, unanswered
from .models import UnansweredQuery
from .results import matching_ids


class SearchAdminMixin:
    """
    For the admin of any model registered in search.registry: the search box
    goes through the site's own index (stemming, accents, other names,
    misspellings), and the index is refreshed once inlines, tags and other
    related rows are saved.
    """

    search_fields = ["title"]  # only so that the admin shows its search box

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        ids = matching_ids(search_term, kind=registry.kind_of(self.model))
        if not ids:
            # Half-typed words (the autocomplete widgets send them) and slugs
            # are not in the index: Django's own lookup still finds those.
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(pk__in=ids), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        index.update_for(form.instance)

    def delete_queryset(self, request, queryset):
        # The bulk delete action skips each object's delete().
        index.remove_many(self.model, queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)

    def response_action(self, request, queryset, **kwargs):
        # Actions such as "publish" change rows with QuerySet.update(), which
        # never calls save(): reindex what the action touched.
        response = super().response_action(request, queryset, **kwargs)
        if request.POST.get("select_across", "0") != "1":
            queryset = queryset.filter(pk__in=request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
        index.update_many(queryset.model, queryset.values_list("pk", flat=True))
        return response


@admin.register(UnansweredQuery)
class UnansweredQueryAdmin(admin.ModelAdmin):
    list_display = ["text", "count", "last_seen"]
    ordering = ["-last_seen"]
    search_fields = ["text"]
    date_hierarchy = "last_seen"

    def changelist_view(self, request, extra_context=None):
        # Searches are tallied in the cache and written in batches: the
        # report an editor opens includes the latest.
        unanswered.flush()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
