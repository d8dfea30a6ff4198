from django.apps import AppConfig


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
