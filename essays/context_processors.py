from django.conf import settings
from django.utils.functional import SimpleLazyObject

from sergesite import page_cache

from .models import Section


def navigation(request):
    # The menu is on every page and changes only when a section does: it is
    # read from the cache until the next save (sergesite/page_cache.py), and
    # only when a template shows it (feeds and JSON pay nothing).
    def menu():
        return page_cache.remember(
            request, "menu", lambda: list(Section.objects.in_menu().only("title", "slug"))
        )

    return {"menu_sections": SimpleLazyObject(menu), "site_name": settings.SITE_NAME}
