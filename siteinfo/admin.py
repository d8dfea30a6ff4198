from django.contrib import admin

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ["name", "author", "updated_at"]
    autocomplete_fields = ["author"]

    def has_add_permission(self, request):
        # One row: once saved, it is changed, not added to.
        # Read from the cache: the admin asks on every page, for its menu.
        return super().has_add_permission(request) and SiteSettings.current().pk is None
