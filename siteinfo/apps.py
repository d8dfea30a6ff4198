from django.apps import AppConfig


class SiteinfoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "siteinfo"
    verbose_name = "Site settings"
