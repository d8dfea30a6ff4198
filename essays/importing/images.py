"""Local images a page shows, re-encoded into media as the editor's uploads are."""

import hashlib
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from sergesite.markdownx_urls import IMAGE_FORMATS, MAX_PIXELS, reencoded

from .parsed import ImportFailure

MAX_IMAGE_BYTES = 10 * 1024 * 1024


def store_image(data, *, write=True):
    """The media URL of the re-encoded image. Named after the original's
    content, so importing the same page again reuses the file and leaves the
    Markdown unchanged. With write=False (a dry run) nothing is stored."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise ImportFailure(
                    f"a {image.format} image is not imported (JPEG, PNG, GIF, WebP)"
                )
            if image.width * image.height > MAX_PIXELS:
                raise ImportFailure("the image has too many pixels")
            image_format = image.format
            name = (
                f"{settings.MARKDOWNX_MEDIA_PATH}imported/"
                f"{hashlib.sha256(data).hexdigest()[:24]}.{IMAGE_FORMATS[image_format]}"
            )
            if not write or default_storage.exists(name):
                return default_storage.url(name)
            encoded = reencoded(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ImportFailure("not an image that can be read (SVG is never imported)") from None
    default_storage.save(name, ContentFile(encoded))
    return default_storage.url(name)
