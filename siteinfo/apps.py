from django.apps import AppConfig, apps
from django.db.models import signals

from sergesite import page_cache

# The apps whose rows readers see on some page. A save, delete or change of
# relations in any of them starts a new page-cache generation
# (sergesite/page_cache.py). Feedback, sessions, versions, sign-in attempts
# and the search index are not shown as such on cached pages.
SHOWN_APPS = ["essays", "people", "works", "siteinfo", "taggit", "redirects", "sites"]
# Rewritten in bulk by the mention scanner, which announces its changes
# itself (essays/mentions.py); a receiver here would also make Django delete
# them one by one instead of in one query.
NOT_WATCHED = {"essays.mention"}


def _page_content_changed(sender, **kwargs):
    page_cache.changed()


class SiteinfoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "siteinfo"
    verbose_name = "Site settings"

    def ready(self):
        # Connected model by model, not for every sender: a receiver for all
        # models would slow every bulk delete on the site (sessions, versions).
        for label in SHOWN_APPS:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                if model._meta.label_lower in NOT_WATCHED:
                    continue
                for signal in (signals.post_save, signals.post_delete, signals.m2m_changed):
                    signal.connect(_page_content_changed, sender=model, weak=False)
