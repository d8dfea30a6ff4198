from django.apps import AppConfig
from django.conf import settings


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = "Essays and sections"

    def ready(self):
        from search import registry

        from .models import Essay

        registry.register(Essay)

        # People and works announce name changes through sergesite.mentions
        # without knowing essays; essays listens and rescans.
        from sergesite import mentions

        from .mentions import names_changed

        mentions.on_names_changed(names_changed)

        # Imports write essays, documents and versions with bulk_create(),
        # whose long texts go to PostgreSQL as arrays.
        if any(db["ENGINE"].endswith("postgresql") for db in settings.DATABASES.values()):
            from sergesite import pg_arrays

            pg_arrays.install()
