"""
The site settings (siteinfo): read from the cache once per request, and
never stale after an editor saves them.
"""

from unittest import mock

import pytest
from django.core.cache import cache

from siteinfo import models as siteinfo
from siteinfo.models import SiteSettings
from tests.factories import make_essay


@pytest.fixture
def essay(db):
    return make_essay(title="Year One of the Russian Revolution", body="Petrograd, 1918.")


def client_page(client, essay):
    return client.get(essay.get_absolute_url()).content.decode()


def _settings_reads(calls):
    return [call for call in calls if call.args and call.args[0] == siteinfo.CACHE_KEY]


def test_an_essay_page_reads_the_site_settings_from_the_cache_once(client, essay, uncached_pages):
    SiteSettings.objects.create(name="Serge Studies", footer_text="Edited in Brussels.")
    client.get(essay.get_absolute_url())

    with mock.patch.object(cache, "get", wraps=cache.get) as get:
        page = client.get(essay.get_absolute_url()).content.decode()

    assert len(_settings_reads(get.call_args_list)) == 1
    # Shown in the footer, the citation and the page's metadata alike.
    assert "Edited in Brussels." in page
    assert '<meta property="og:site_name" content="Serge Studies">' in page
    assert '"name": "Serge Studies"' in page


def test_settings_saved_in_the_admin_show_on_the_next_page(admin_client, essay, uncached_pages):
    SiteSettings.objects.create(name="Serge Studies")
    assert "Serge Studies" in client_page(admin_client, essay)

    settings = SiteSettings.objects.get()
    response = admin_client.post(
        f"/admin/siteinfo/sitesettings/{settings.pk}/change/",
        {"name": "Dissident Marxism", "tagline": "", "author": "", "footer_text": "New footer."},
    )

    assert response.status_code == 302
    assert SiteSettings.objects.get().name == "Dissident Marxism"
    page = client_page(admin_client, essay)
    assert "Dissident Marxism" in page and "New footer." in page
    assert "Serge Studies" not in page


def test_outside_a_request_each_call_reads_the_settings_afresh(db):
    SiteSettings.objects.create(name="Serge Studies")
    assert SiteSettings.current().name == "Serge Studies"

    # As another process would: a write this one does not see, then the cache emptied.
    SiteSettings.objects.update(name="Dissident Marxism")
    cache.delete(siteinfo.CACHE_KEY)

    assert SiteSettings.current().name == "Dissident Marxism"


def test_each_request_reads_the_settings_afresh_after_another_process_changed_them(
    client, essay, uncached_pages
):
    SiteSettings.objects.create(name="Serge Studies")
    assert "Serge Studies" in client_page(client, essay)

    # As another worker would: a write this one does not see, then the cache emptied.
    SiteSettings.objects.update(name="Dissident Marxism")
    cache.delete(siteinfo.CACHE_KEY)

    page = client_page(client, essay)
    assert "Dissident Marxism" in page and "Serge Studies" not in page
