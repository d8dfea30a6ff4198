"""The site-wide pages that belong to no single app."""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from essays.models import Essay, Section
from people.models import Person
from sergesite.numbers import parse_int
from sergesite.sitemaps import SITEMAPS, kind_totals, urlset
from works.models import Work

HOME_SECTION_SLUG = "welcome"
HOME_ESSAY_COUNT = 6
SITEMAP_LATEST_ESSAYS = 30


@require_safe
def home(request):
    welcome = Section.objects.filter(slug=HOME_SECTION_SLUG).first()
    essays = Essay.objects.published().for_listing()[:HOME_ESSAY_COUNT]
    return render(request, "home.html", {"welcome": welcome, "essays": essays})


@require_safe
def sitemap_page(request):
    """
    The reader's map of the site: every section with its number of essays,
    the latest essays, people by initial, and the lists of works and years.
    Four queries and a bounded page at any size: the lists it points to are
    paginated (the XML sitemap, for search engines, names every page).
    """
    published = models.Q(essays__status=Essay.Status.PUBLISHED) & models.Q(
        essays__published_at__lte=timezone.now()
    )
    sections = Section.objects.only("title", "slug").annotate(
        essay_count=models.Count("essays", filter=published)
    )
    latest = Essay.objects.published().select_related("section")
    latest = latest.only("title", "slug", "published_at", "section__title", "section__slug")
    return render(
        request,
        "sitemap.html",
        {
            "sections": sections,
            "latest": latest[:SITEMAP_LATEST_ESSAYS],
            "initials": Person.objects.initial_counts(),
            "work_count": Work.objects.count(),
        },
    )


def _sitemaps(request):
    # Django's views read their page number with int(), which takes digits of any script.
    if "p" in request.GET and parse_int(request.GET["p"], minimum=1) is None:
        raise Http404("No such page of the sitemap.")
    return {name: cls(request) for name, cls in SITEMAPS.items()}


@require_safe
def sitemap_xml(request):
    """
    The sitemap index, always (see sergesite.sitemaps): every page of every
    kind, dated by the newest change it holds. Four queries.
    """
    sitemaps = _sitemaps(request)
    if request.GET.get("p", "1") != "1":
        raise Http404("The sitemap index has one page.")
    totals = kind_totals()
    entries = []
    for name, site in sitemaps.items():
        # Django's index view would name the Site row's placeholder domain.
        url = request.build_absolute_uri(reverse("sitemap-section", kwargs={"section": name}))
        pages, lastmod = site.index_entry(totals)
        for page in range(1, pages + 1):
            entries.append(SitemapIndexItem(url if page == 1 else f"{url}?p={page}", lastmod))
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )


@require_safe
def sitemap_section(request, section):
    """One page of one kind's addresses (?p=2...), at most `limit` of them."""
    site = _sitemaps(request).get(section)
    if site is None:
        raise Http404("No such sitemap.")
    try:
        urls = site.get_urls(page=request.GET.get("p", 1), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of the sitemap.") from None
    headers = {"X-Robots-Tag": "noindex, noodp, noarchive"}
    # Set by get_urls when every address on the page has a date.
    latest = getattr(site, "latest_lastmod", None)
    if latest:
        headers["Last-Modified"] = http_date(latest.timestamp())
    return HttpResponse(urlset(urls), content_type="application/xml", headers=headers)


@staff_member_required
def view_on_site(request, content_type_id, object_id):
    # The admin's own view prefixes the Site row's domain; a relative
    # address keeps editors on the host they are using.
    try:
        content_type = ContentType.objects.get(pk=content_type_id)
        model = content_type.model_class()
        obj = model._default_manager.get(pk=object_id)
        url = obj.get_absolute_url()
    except (ObjectDoesNotExist, ValueError, ValidationError, AttributeError):
        raise Http404("That record has no page on the site.") from None
    return redirect(url)


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: " + reverse("admin:index"),
        "Disallow: " + reverse("search"),
        "",
        "Sitemap: " + request.build_absolute_uri(reverse("sitemap-xml")),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    # Old addresses are answered after this, by sergesite.redirects'
    # middleware, which sees this 404 (and DEBUG's own 404 page alike).
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors and no database: this page must render when
    # everything else is broken, including a missing static files manifest.
    try:
        stylesheet = static("css/site.css")
    except Exception:
        stylesheet = None
    template = loader.get_template("500.html")
    return HttpResponse(
        template.render({"site_name": settings.SITE_NAME, "stylesheet": stylesheet}), status=500
    )
