from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def site(request):
    # Lazy and cached (SiteSettings.current): a page that never shows them pays nothing.
    settings = SimpleLazyObject(SiteSettings.current)
    return {"site": settings, "site_name": SimpleLazyObject(lambda: settings.name)}
