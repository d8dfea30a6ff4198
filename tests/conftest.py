import pytest


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    # Uploads in tests go to a throwaway folder, never the developer's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _plain_static(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests that sign in would pay for it every time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _site_row_cached(_django_clear_site_cache, django_db_setup, django_db_blocker):
    # The feeds and sitemap.xml read the sites framework's Site row once per
    # process and keep it in memory (pytest-django empties that memory before
    # each test); read it up front so that query counts are those of a
    # running site, whatever the order of the tests.
    from django.contrib.sites.models import Site

    with django_db_blocker.unblock():
        Site.objects.get_current()


@pytest.fixture(autouse=True)
def _site_settings_cached(django_db_setup, django_db_blocker):
    # Every test starts from an empty cache: no page cached by another test.
    # Pages read the site settings from the cache (siteinfo.models); start
    # each test from what the empty database holds, already cached, so query
    # counts are those of a running site and no test sees another's row.
    from django.core.cache import cache

    from siteinfo.models import SiteSettings

    cache.clear()
    with django_db_blocker.unblock():
        SiteSettings.current()


@pytest.fixture
def uncached_pages(settings):
    """Every request builds its page: for tests that count what building costs.
    Count from a page's second request: the first reads the menu and the
    cache generation, once per change of content."""
    settings.PAGE_CACHE_SECONDS = 0
