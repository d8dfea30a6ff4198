"""
markdownx's preview and upload endpoints, for signed-in staff only.

markdownx.urls as shipped lets any visitor upload files and use the server
as a Markdown renderer, and its upload form trusts the browser's word for the
file type and keeps the uploaded file's extension. These views replace both:
an upload must decode as a JPEG, PNG, GIF or WebP image, and what is stored is
a fresh re-encoding under a name the server chooses.
"""

import io
import uuid

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.views.decorators.http import require_POST

from sergesite.markup import render_markdown

# Pillow format name -> stored extension. SVG is absent on purpose: it can carry script.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
# Larger than any photograph an editor needs; a guard against decompression bombs.
MAX_PIXELS = 40_000_000


def reencoded(image):
    """
    The bytes of a fresh encoding of an opened, already checked image, in its
    own format and no larger than MARKDOWNX_IMAGE_MAX_SIZE. Re-encoding drops
    anything hidden after the image data and the EXIF block, which can hold
    where a photograph was taken. Editors' uploads and imports both use it.
    """
    image_format = image.format
    image.load()
    image.thumbnail(settings.MARKDOWNX_IMAGE_MAX_SIZE["size"])
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, image_format, quality=settings.MARKDOWNX_IMAGE_MAX_SIZE.get("quality", 85))
    return buffer.getvalue()


def _refuse(message, status=400):
    # markdownx's editor reads a JSON body on failure.
    return JsonResponse({"image": [message]}, status=status)


@staff_member_required
@require_POST
def markdownify(request):
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@staff_member_required
@require_POST
def upload(request):
    upload = request.FILES.get("image")
    if upload is None:
        return _refuse("Choose an image to upload.")
    max_size = settings.MARKDOWNX_UPLOAD_MAX_SIZE
    if upload.size > max_size:
        return _refuse(f"Images may be at most {filesizeformat(max_size)}.", status=413)
    # Imported here: Pillow is needed only by an editor's upload, not by workers serving pages.
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            if image.format not in IMAGE_FORMATS:
                return _refuse("Upload a JPEG, PNG, GIF or WebP image.")
            if image.width * image.height > MAX_PIXELS:
                return _refuse("That image has too many pixels.")
            image_format = image.format
            data = reencoded(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return _refuse("That file is not an image we can read.")

    name = default_storage.save(
        f"{settings.MARKDOWNX_MEDIA_PATH}{uuid.uuid4().hex}.{IMAGE_FORMATS[image_format]}",
        ContentFile(data),
    )
    return JsonResponse({"image_code": f"![]({default_storage.url(name)})"})


urlpatterns = [
    path("upload/", upload, name="markdownx_upload"),
    path("markdownify/", markdownify, name="markdownx_markdownify"),
]
