"""
Addresses of essays and sections are worked out once and kept
(sergesite/url_cache.py), yet always match the URLconf and the script
prefix the site is served under.
"""

from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path, reverse, set_script_prefix

from tests.factories import make_essay


def _page(request, slug):
    return HttpResponse(slug)


# A URLconf that puts essays somewhere else, for the test that swaps it in.
urlpatterns = [
    path(
        "archive/",
        include(([path("texts/<slug:slug>/", _page, name="detail")], "essays")),
    ),
]


def test_an_essays_address_is_the_one_the_urlconf_gives(db):
    essay = make_essay(title="Year One", slug="year-one")

    assert essay.get_absolute_url() == reverse("essays:detail", kwargs={"slug": essay.slug})
    assert essay.get_absolute_url() == "/essays/year-one/"
    assert essay.section.get_absolute_url() == f"/sections/{essay.section.slug}/"
    assert essay.section.get_absolute_url() == reverse(
        "essays:section", kwargs={"slug": essay.section.slug}
    )


def test_a_site_served_under_a_sub_path_gets_addresses_under_it(db):
    essay = make_essay(title="Year One", slug="year-one")
    assert essay.get_absolute_url() == "/essays/year-one/"

    # What the WSGI handler does for a request under SCRIPT_NAME=/library.
    set_script_prefix("/library/")
    try:
        assert essay.get_absolute_url() == "/library/essays/year-one/"
        assert essay.section.get_absolute_url().startswith("/library/sections/")
    finally:
        set_script_prefix("/")
    assert essay.get_absolute_url() == "/essays/year-one/"


def test_swapping_the_urlconf_forgets_the_addresses_kept(db):
    essay = make_essay(title="Year One", slug="year-one")
    assert essay.get_absolute_url().startswith("/essays/")

    with override_settings(ROOT_URLCONF="tests.test_url_cache"):
        assert essay.get_absolute_url() == "/archive/texts/year-one/"

    assert essay.get_absolute_url() == "/essays/year-one/"
