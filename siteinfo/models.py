"""
The site's identity, editable in the admin: one row at most. Until an editor
saves it, the defaults come from the SITE_NAME and SITE_AUTHOR settings.
"""

import contextvars

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models

from people.models import Person

CACHE_KEY = "siteinfo:current"
# A renamed site author shows on pages within this many seconds; saving the
# settings shows at once.
CACHE_SECONDS = 300

# Within one request the settings are read from the cache once: an essay
# page asks for them four times (the menu, the citation, Open Graph and
# JSON-LD). A context variable, as in sergesite/db_router.py, so that
# requests served side by side (ASGI) each have their own. Outside requests
# (commands, shells) every call reads the cache.
_this_request = contextvars.ContextVar("siteinfo_settings_of_request", default=None)


def _request_began(**kwargs):
    _this_request.set({})


def _request_ended(**kwargs):
    _this_request.set(None)


request_started.connect(_request_began, dispatch_uid="siteinfo-request-began")
request_finished.connect(_request_ended, dispatch_uid="siteinfo-request-ended")


class SiteSettings(models.Model):
    name = models.CharField(
        max_length=120, help_text="Shown at the top of every page and in citations."
    )
    tagline = models.CharField(
        max_length=250, blank=True, help_text="One line under the name on the home page."
    )
    author = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who essays with no author of their own are credited to: a person, or an "
        "organisation such as “The editors” (tick “organisation” on their page).",
    )
    footer_text = models.CharField(
        max_length=300, blank=True, help_text="A line at the foot of every page."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # One row: whatever is saved replaces the settings.
        existing = SiteSettings.objects.exclude(pk=self.pk).values_list("pk", flat=True).first()
        if existing is not None and self.pk is None:
            self.pk = existing
        super().save(*args, **kwargs)
        self._forget()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._forget()
        return result

    @staticmethod
    def _forget():
        cache.delete(CACHE_KEY)
        kept = _this_request.get()
        if kept is not None:
            kept.clear()

    @classmethod
    def current(cls):
        """
        The settings, from the cache: no query on most requests, one after a
        change. With no row saved, an unsaved one with the defaults.
        """
        kept = _this_request.get()
        if kept:
            return kept["settings"]
        found = cache.get(CACHE_KEY)
        if found is None:
            found = cls.objects.select_related("author").first() or cls(name=settings.SITE_NAME)
            cache.set(CACHE_KEY, found, CACHE_SECONDS)
        if kept is not None:
            kept["settings"] = found
        return found

    @property
    def site_author(self):
        """The author Person; an unsaved organisation named by SITE_AUTHOR when none is chosen."""
        if self.author is not None:
            return self.author
        return Person(
            name=settings.SITE_AUTHOR, sort_name=settings.SITE_AUTHOR, is_organisation=True
        )
