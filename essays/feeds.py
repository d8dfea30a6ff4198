from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed

from .models import Essay


class LatestEssaysFeed(Feed):
    title = settings.SITE_NAME
    link = reverse_lazy("home")
    description = "New essays on the history of the left."

    def items(self):
        return Essay.objects.published().select_related("section")[:20]

    def item_title(self, essay):
        return essay.title

    def item_description(self, essay):
        return essay.summary

    def item_pubdate(self, essay):
        return essay.published_at

    def item_updateddate(self, essay):
        return essay.updated_at

    def item_categories(self, essay):
        return [essay.section.title]


class LatestEssaysAtomFeed(LatestEssaysFeed):
    feed_type = Atom1Feed
    subtitle = LatestEssaysFeed.description
