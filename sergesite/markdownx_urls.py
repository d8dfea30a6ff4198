"""
markdownx's preview and upload endpoints, for signed-in staff only.

markdownx.urls as shipped lets any visitor upload files and use the server
as a Markdown renderer, so the project wires the same views up itself.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path
from django.views.decorators.http import require_POST
from markdownx.views import ImageUploadView, MarkdownifyView

urlpatterns = [
    path(
        "upload/",
        staff_member_required(require_POST(ImageUploadView.as_view())),
        name="markdownx_upload",
    ),
    path(
        "markdownify/",
        staff_member_required(require_POST(MarkdownifyView.as_view())),
        name="markdownx_markdownify",
    ),
]
