from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Essay

FEED_LENGTH = 20


class LatestEssaysFeed(Feed):
    title = settings.SITE_NAME
    description = "New essays on the history of the left."

    # django.contrib.sites is installed for redirects only and its Site row
    # holds a placeholder domain, which Feed would put in front of relative
    # links. Every link is made absolute from the request's own host instead;
    # the request is the feed's "object" because that is what Feed passes to
    # link(), feed_url() and items().
    def get_object(self, request, *args, **kwargs):
        return request

    def link(self, request):
        return request.build_absolute_uri(reverse("home"))

    def feed_url(self, request):
        return request.build_absolute_uri(request.path)

    def items(self, request):
        essays = list(Essay.objects.published().for_listing()[:FEED_LENGTH])
        for essay in essays:
            essay.absolute_url = request.build_absolute_uri(essay.get_absolute_url())
        return essays

    def item_link(self, essay):
        return essay.absolute_url

    def item_title(self, essay):
        return essay.title

    def item_description(self, essay):
        # Plain text: feed readers get the summary, escaped by the feed writer.
        return essay.summary or essay.title

    def item_author_name(self, essay):
        return essay.byline or None

    def item_pubdate(self, essay):
        return essay.published_at

    def item_updateddate(self, essay):
        return essay.updated_at

    def item_categories(self, essay):
        return [essay.section.title]


class LatestEssaysAtomFeed(LatestEssaysFeed):
    feed_type = Atom1Feed
    subtitle = LatestEssaysFeed.description
