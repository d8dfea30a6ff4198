from django.contrib import admin
from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    # admin_view: signed-in staff only, others go to the admin login; never cached.
    path("", admin.site.admin_view(views.download), name="download"),
]
