from django.urls import path

from . import views

app_name = "search"

# The results page itself is routed by the project as "search", the name the
# templates have always used; this holds the rest.
urlpatterns = [
    path("suggest/", views.suggest, name="suggest"),
]
