from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from .models import Essay

FEED_LENGTH = 20


class LatestEssaysFeed(Feed):
    title = settings.SITE_NAME
    link = reverse_lazy("home")
    description = "New essays on the history of the left."

    def items(self):
        return Essay.objects.published().for_listing()[:FEED_LENGTH]

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
