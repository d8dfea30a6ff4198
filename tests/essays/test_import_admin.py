import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from essays import admin_import
from essays.models import Essay
from tests.essays.import_helpers import FIXTURES, media_files
from tests.factories import make_section

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:essays_essay_import")


def _upload(*paths):
    return [SimpleUploadedFile(Path(p).name, Path(p).read_bytes()) for p in paths]


def _batches():
    root = admin_import.batch_root()
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


@pytest.fixture
def research():
    return make_section(title="Research", slug="research")


@pytest.fixture
def previewed(admin_client, research):
    """The first step done: an old page, its image and a saved text page uploaded."""
    files = _upload(
        FIXTURES / "mirror" / "anl" / "anl.html",
        FIXTURES / "mirror" / "images" / "rally.png",
        FIXTURES / "saved-page.txt",
    )
    response = admin_client.post(IMPORT_URL, {"files": files, "section": research.pk})
    assert response.status_code == 200
    return response


def test_the_essay_list_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:essays_essay_changelist"))

    assert f'href="{IMPORT_URL}"' in response.content.decode()


def test_a_visitor_is_sent_to_the_admin_login(client):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_who_may_not_add_essays_are_refused(client):
    client.force_login(User.objects.create_user("reader", is_staff=True))

    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"token": "0" * 32}).status_code == 403


def test_the_first_step_shows_a_dry_run_with_previews_and_writes_nothing(previewed, settings):
    page = previewed.content.decode()

    assert "What the import would do" in page
    assert "Dry run, nothing written: 2 files: 2 created" in page
    assert '<h2 id="the-carnivals">The carnivals</h2>' in page  # the rendered preview
    assert "The Kronstadt Question" in page and "2 headings, 2 quotations" in page
    assert not Essay.objects.exists()
    assert media_files(settings) == []
    (token,) = _batches()
    assert f'name="token" value="{token}"' in page


def test_confirming_imports_the_batch_and_deletes_the_upload(admin_client, previewed, settings):
    (token,) = _batches()

    response = admin_client.post(IMPORT_URL, {"token": token, "confirm": "1"})

    assert response.status_code == 200
    assert "2 files: 2 created" in response.content.decode()
    league = Essay.objects.get(title="The Anti Nazi League")
    assert league.import_source == "upload:anl.html"
    assert league.section.slug == "research" and league.status == "draft"
    assert "\n## The carnivals\n" in league.body
    (image,) = media_files(settings)
    assert f"(/media/{image})" in league.body
    assert _batches() == []


def test_a_confirmed_import_cannot_be_confirmed_twice(admin_client, previewed):
    (token,) = _batches()
    admin_client.post(IMPORT_URL, {"token": token, "confirm": "1"})

    response = admin_client.post(IMPORT_URL, {"token": token, "confirm": "1"}, follow=True)

    assert "That import has expired or was already done" in response.content.decode()
    assert Essay.objects.count() == 2


def test_cancelling_deletes_the_upload_and_writes_nothing(admin_client, previewed):
    (token,) = _batches()

    response = admin_client.post(IMPORT_URL, {"token": token, "cancel": "1"})

    assert response.status_code == 302
    assert _batches() == [] and not Essay.objects.exists()


def test_another_users_token_is_refused(client, previewed):
    (token,) = _batches()
    client.force_login(User.objects.create_superuser("other", "other@example.org", "x"))

    client.post(IMPORT_URL, {"token": token, "confirm": "1"})

    assert not Essay.objects.exists()
    assert _batches() == [token]


def test_a_zip_with_an_entry_outside_the_upload_imports_only_the_safe_pages(admin_client, research):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("site/anl/anl.html", (FIXTURES / "mirror" / "anl" / "anl.html").read_bytes())
        zf.writestr("site/images/rally.png", (FIXTURES / "mirror/images/rally.png").read_bytes())
        zf.writestr("../../../outside.md", "---\ntitle: Escaped\n---\nText.\n")
    files = [SimpleUploadedFile("site.zip", buffer.getvalue())]
    admin_client.post(IMPORT_URL, {"files": files, "section": research.pk, "base_url": "/old/"})
    (token,) = _batches()

    response = admin_client.post(IMPORT_URL, {"token": token, "confirm": "1"})

    page = response.content.decode()
    assert "../../../outside.md" in page and "its path leads outside the upload" in page
    essay = Essay.objects.get()
    assert essay.import_source == "/old/site/anl/anl.html"
    assert "/media/uploads/imported/" in essay.body


def test_an_upload_over_the_size_limit_is_refused_before_anything_is_kept(
    admin_client, research, monkeypatch
):
    monkeypatch.setattr(admin_import, "MAX_UPLOAD_BYTES", 1000)

    response = admin_client.post(
        IMPORT_URL, {"files": _upload(FIXTURES / "mirror" / "anl" / "anl.html")}
    )

    assert response.status_code == 200
    assert "Upload at most 0 MB at once" in response.content.decode()
    assert _batches() == []


def test_a_preview_never_carries_script_from_the_upload(admin_client, research):
    files = [
        SimpleUploadedFile(
            "evil.md", b"---\ntitle: Evil\n---\nHello <script>alert(1)</script> there.\n"
        )
    ]

    response = admin_client.post(IMPORT_URL, {"files": files, "section": research.pk})

    assert "<script>alert(1)" not in response.content.decode()
    assert "Hello" in response.content.decode()


BANNERED_PAGE = (
    b"<html><head><title>Writings on the Left - The Anti Nazi League</title></head><body>"
    b"<h1>Writings on the Left</h1><h2>The Anti Nazi League</h2>"
    b"<p>The league was launched in 1977 and drew tens of thousands to its carnivals, "
    b"which mixed music with politics in a way nobody had tried before.</p></body></html>"
)


def test_the_old_sites_name_given_is_taken_off_a_lone_pages_title(admin_client, research):
    files = [SimpleUploadedFile("anl.html", BANNERED_PAGE)]
    response = admin_client.post(
        IMPORT_URL,
        {"files": files, "section": research.pk, "site_name": "Writings on the Left"},
    )
    token = response.context["token"]

    admin_client.post(IMPORT_URL, {"token": token, "confirm": "1"})

    essay = Essay.objects.get()
    assert essay.title == "The Anti Nazi League"
    assert "Writings on the Left" not in essay.body
