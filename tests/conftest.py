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


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def _uses_database(request):
    return request.node.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _fresh_cache_and_site_rows(request, _django_clear_site_cache):
    """
    Every test starts from an empty cache: no page cached by another test.
    Tests that use the database also start with the rows every page reads
    already cached, as on a running site, so that query counts do not depend
    on the order of the tests: the sites framework's Site row (feeds and
    sitemap.xml keep it in memory, which pytest-django empties) and the site
    settings (siteinfo.models keeps them in the cache). A test without the
    database sets up none of it, so it can run alone.
    """
    from django.core.cache import cache

    cache.clear()
    if not _uses_database(request):
        return
    from django.contrib.sites.models import Site

    from siteinfo.models import SiteSettings

    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        Site.objects.get_current()
        SiteSettings.current()


@pytest.fixture
def uncached_pages(settings):
    """Every request builds its page: for tests that count what building costs.
    Count from a page's second request: the first reads the menu and the
    cache generation, once per change of content."""
    settings.PAGE_CACHE_SECONDS = 0
