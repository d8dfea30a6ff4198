from django.conf import settings

from .models import Section


def navigation(request):
    # Evaluated lazily: pages that never render the menu (feeds, JSON) pay nothing.
    return {
        "menu_sections": Section.objects.in_menu().only("title", "slug"),
        "site_name": settings.SITE_NAME,
    }
