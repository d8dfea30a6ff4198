"""
The export and import carry media through Django's default storage: an
in-memory storage stands in for an S3 bucket, where nothing is on local disk.
"""

import io
import json
import os
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from PIL import Image

from essays.exchange.archive import CHUNK, STAGING_PREFIX
from essays.models import Essay
from tests.factories import make_essay

from .conftest import run, wipe_content

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/markdownx/upload/"


class RacingStorage(InMemoryStorage):
    """As if an editor uploaded uploads/cover.jpg again just as the import deleted it."""

    def delete(self, name):
        super().delete(name)
        if name == "uploads/cover.jpg":
            super().save(name, ContentFile(b"uploaded meanwhile"))


class FullStorage(InMemoryStorage):
    """A storage that has run out of room: every save fails."""

    def _save(self, name, content):
        raise OSError("No space left on device")


def use_storage(settings, backend):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}


@pytest.fixture
def bucket(settings):
    use_storage(settings, "django.core.files.storage.InMemoryStorage")
    return default_storage


def upload_image(client):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    image = SimpleUploadedFile("map.png", buffer.getvalue(), content_type="image/png")
    response = client.post(UPLOAD, {"image": image})
    assert response.status_code == 200
    [name] = default_storage.listdir("uploads")[1]
    return f"uploads/{name}"


def media_in(path):
    with zipfile.ZipFile(path) as archive:
        return {
            name.removeprefix("media/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("media/")
        }


def manifest_of(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def files_under(folder):
    return sorted(str(path) for path in folder.rglob("*")) if folder.exists() else []


def test_an_image_uploaded_into_the_bucket_is_in_the_export_byte_for_byte(
    bucket, admin_client, archive_path, settings
):
    name = upload_image(admin_client)
    stored = bucket.open(name).read()

    output, _ = run("export_site", str(archive_path))

    assert media_in(archive_path) == {name: stored}
    assert manifest_of(archive_path)["media"] == {"files": 1, "bytes": len(stored)}
    assert f"      1  media files ({len(stored)} bytes)" in output
    assert files_under(settings.MEDIA_ROOT) == []


def test_the_import_puts_the_files_back_in_the_bucket_and_nothing_under_media_root(
    bucket, admin_client, archive_path, settings
):
    image = upload_image(admin_client)
    essay = make_essay(title="Maps", slug="maps", body=f"![A map]({bucket.url(image)})")
    # Larger than one chunk, so it is copied in several pieces each way.
    large = os.urandom(2 * CHUNK + 5)
    bucket.save("uploads/2024/05/scan.tif", ContentFile(large))
    expected = {image: bucket.open(image).read(), "uploads/2024/05/scan.tif": large}
    run("export_site", str(archive_path))
    wipe_content()
    for name in expected:
        bucket.delete(name)

    output, _ = run("import_site", str(archive_path))

    assert {name: bucket.open(name).read() for name in expected} == expected
    assert Essay.objects.get(slug="maps").body == essay.body
    assert f"      2  media files ({sum(map(len, expected.values()))} bytes)" in output
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_file_in_a_nested_folder_keeps_its_path(bucket, archive_path):
    bucket.save("uploads/2024/05/deep/note.txt", ContentFile(b"nested"))

    run("export_site", str(archive_path))

    assert media_in(archive_path) == {"uploads/2024/05/deep/note.txt": b"nested"}


def test_the_import_replaces_a_file_of_the_same_name(bucket, archive_path):
    bucket.save("uploads/cover.jpg", ContentFile(b"from the archive"))
    run("export_site", str(archive_path))
    bucket.delete("uploads/cover.jpg")
    bucket.save("uploads/cover.jpg", ContentFile(b"changed since"))

    run("import_site", str(archive_path), "--replace")

    assert bucket.listdir("uploads") == ([], ["cover.jpg"])
    assert bucket.open("uploads/cover.jpg").read() == b"from the archive"


def test_a_file_the_storage_will_not_keep_under_its_name_is_reported(settings, archive_path):
    use_storage(settings, "tests.exchange.test_media_storage.RacingStorage")
    make_essay(title="Kept", slug="kept")
    default_storage.save("uploads/cover.jpg", ContentFile(b"jpeg"))
    run("export_site", str(archive_path))

    with pytest.raises(CommandError) as error:
        run("import_site", str(archive_path), "--replace")

    message = str(error.value)
    assert message.startswith("The records were imported")
    assert "uploads/cover.jpg (stored as uploads/cover_" in message
    # The records are in; the copy under another name is not left behind.
    assert Essay.objects.get().slug == "kept"
    assert default_storage.listdir("uploads") == ([], ["cover.jpg"])
    assert default_storage.open("uploads/cover.jpg").read() == b"uploaded meanwhile"


def test_a_storage_that_fails_is_reported_as_records_in_and_files_missing(
    bucket, settings, archive_path
):
    make_essay(title="Kept", slug="kept")
    bucket.save("uploads/cover.jpg", ContentFile(b"jpeg"))
    run("export_site", str(archive_path))
    use_storage(settings, "tests.exchange.test_media_storage.FullStorage")

    with pytest.raises(CommandError) as error:
        run("import_site", str(archive_path), "--replace")

    assert str(error.value).startswith(
        "The records were imported, but uploads/cover.jpg could not be stored "
        "(No space left on device); 0 of 1 media files were."
    )
    assert Essay.objects.get().slug == "kept"


def test_the_imports_staging_folders_are_not_exported(archive_path, settings):
    # On local disk, an import running meanwhile unpacks into the media folder.
    root = settings.MEDIA_ROOT
    (root / f"{STAGING_PREFIX}abc123" / "uploads").mkdir(parents=True)
    (root / f"{STAGING_PREFIX}abc123" / "uploads" / "half.png").write_bytes(b"half way in")
    (root / "uploads").mkdir()
    (root / "uploads" / "cover.jpg").write_bytes(b"jpeg")

    run("export_site", str(archive_path))

    assert media_in(archive_path) == {"uploads/cover.jpg": b"jpeg"}


def test_the_staging_folder_is_skipped_in_any_storage(bucket, archive_path):
    bucket.save(f"{STAGING_PREFIX}abc123/uploads/half.png", ContentFile(b"half way in"))
    bucket.save("uploads/cover.jpg", ContentFile(b"jpeg"))

    run("export_site", str(archive_path))

    assert media_in(archive_path) == {"uploads/cover.jpg": b"jpeg"}


def test_symbolic_links_in_the_media_folder_are_not_exported(archive_path, settings, tmp_path):
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "passwords.txt").write_text("not for the export")
    root = settings.MEDIA_ROOT
    (root / "uploads").mkdir(parents=True)
    (root / "uploads" / "cover.jpg").write_bytes(b"jpeg")
    (root / "uploads" / "link.txt").symlink_to(secret / "passwords.txt")
    (root / "elsewhere").symlink_to(secret, target_is_directory=True)

    run("export_site", str(archive_path))

    assert media_in(archive_path) == {"uploads/cover.jpg": b"jpeg"}


def test_a_local_import_stores_the_files_in_media_root_and_leaves_no_staging_folder(
    archive_path, settings
):
    root = settings.MEDIA_ROOT
    (root / "uploads" / "2024").mkdir(parents=True)
    (root / "uploads" / "2024" / "cover.jpg").write_bytes(b"jpeg")
    run("export_site", str(archive_path))
    wipe_content()
    (root / "uploads" / "2024" / "cover.jpg").unlink()

    run("import_site", str(archive_path))

    assert (root / "uploads" / "2024" / "cover.jpg").read_bytes() == b"jpeg"
    assert not list(root.glob(STAGING_PREFIX + "*"))
