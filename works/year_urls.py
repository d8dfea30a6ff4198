from django.urls import path, register_converter

from . import views
from .years import YearConverter

app_name = "years"

register_converter(YearConverter, "year")

urlpatterns = [
    path("", views.year_index, name="index"),
    path("<year:year>/", views.year_detail, name="detail"),
]
