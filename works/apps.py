from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "works"
    verbose_name = "Works"

    def ready(self):
        from search import registry

        from .models import Work

        registry.register(Work)
