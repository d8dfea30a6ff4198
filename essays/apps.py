from django.apps import AppConfig


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = "Essays and sections"

    def ready(self):
        from search import registry

        from .models import Essay

        registry.register(Essay)
