import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.xss_payloads import find_executable_markup

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/markdownx/markdownify/"
UPLOAD = "/admin/markdownx/upload/"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def _image_bytes(image_format="PNG", size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "red").save(buffer, image_format)
    return buffer.getvalue()


def _upload(name, content, content_type):
    return {"image": SimpleUploadedFile(name, content, content_type=content_type)}


def _stored_files(settings):
    folder = settings.MEDIA_ROOT / settings.MARKDOWNX_MEDIA_PATH
    return sorted(folder.iterdir()) if folder.exists() else []


def test_anonymous_visitors_cannot_use_the_preview(client):
    response = client.post(PREVIEW, {"content": "**hi**"})

    assert response.status_code in {302, 403}
    assert b"<strong>" not in response.content


def test_anonymous_visitors_cannot_upload(client, settings):
    response = client.post(UPLOAD, _upload("a.png", _image_bytes(), "image/png"))

    assert response.status_code in {302, 403}
    assert _stored_files(settings) == []


def test_a_signed_in_reader_who_is_not_staff_cannot_upload(client, settings, django_user_model):
    user = django_user_model.objects.create_user("reader", password="long-enough-password")
    client.force_login(user)

    response = client.post(UPLOAD, _upload("a.png", _image_bytes(), "image/png"))

    assert response.status_code in {302, 403}
    assert _stored_files(settings) == []


def test_the_endpoints_refuse_get(admin_client):
    assert admin_client.get(PREVIEW).status_code == 405
    assert admin_client.get(UPLOAD).status_code == 405


def test_staff_preview_returns_sanitized_html(admin_client):
    response = admin_client.post(
        PREVIEW, {"content": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "<strong>bold</strong>" in html
    assert find_executable_markup(html) == []


def test_a_preview_with_no_content_is_empty_not_an_error(admin_client):
    response = admin_client.post(PREVIEW, {})

    assert response.status_code == 200
    assert response.content == b""


def test_staff_can_upload_a_png(admin_client, settings):
    response = admin_client.post(UPLOAD, _upload("map.png", _image_bytes(), "image/png"))

    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(".png)")
    [stored] = _stored_files(settings)
    with Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.size == (40, 30)


@pytest.mark.parametrize("image_format", ["JPEG", "GIF", "WEBP"])
def test_staff_can_upload_other_common_image_formats(admin_client, settings, image_format):
    content = _image_bytes(image_format)

    response = admin_client.post(UPLOAD, _upload("photo.bin", content, "image/png"))

    assert response.status_code == 200
    [stored] = _stored_files(settings)
    with Image.open(stored) as image:
        assert image.format == image_format


def test_an_svg_is_refused(admin_client, settings):
    response = admin_client.post(UPLOAD, _upload("logo.svg", SVG, "image/svg+xml"))

    assert response.status_code == 400
    assert _stored_files(settings) == []


def test_an_svg_pretending_to_be_a_png_is_refused(admin_client, settings):
    response = admin_client.post(UPLOAD, _upload("logo.png", SVG, "image/png"))

    assert response.status_code == 400
    assert _stored_files(settings) == []


def test_html_with_an_image_name_is_refused(admin_client, settings):
    page = b"<html><script>alert(1)</script></html>"

    response = admin_client.post(UPLOAD, _upload("x.gif", page, "image/gif"))

    assert response.status_code == 400
    assert _stored_files(settings) == []


def test_an_image_with_script_appended_is_stored_without_it(admin_client, settings):
    content = _image_bytes("GIF") + b"<script>alert(1)</script>"

    response = admin_client.post(UPLOAD, _upload("x.html", content, "image/gif"))

    assert response.status_code == 200
    [stored] = _stored_files(settings)
    assert stored.suffix == ".gif"
    assert b"<script>" not in stored.read_bytes()


def test_an_oversized_upload_is_refused(admin_client, settings):
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = 1000
    content = _image_bytes(size=(400, 400), mode="RGB") + b"\0" * 2000

    response = admin_client.post(UPLOAD, _upload("big.png", content, "image/png"))

    assert response.status_code == 413
    assert _stored_files(settings) == []


def test_a_large_photograph_is_scaled_down(admin_client, settings):
    settings.MARKDOWNX_IMAGE_MAX_SIZE = {"size": (100, 100), "quality": 80}

    admin_client.post(UPLOAD, _upload("big.jpg", _image_bytes("JPEG", (800, 400)), "image/jpeg"))

    [stored] = _stored_files(settings)
    with Image.open(stored) as image:
        assert image.size == (100, 50)


def test_an_upload_with_no_file_is_refused(admin_client):
    assert admin_client.post(UPLOAD, {}).status_code == 400
