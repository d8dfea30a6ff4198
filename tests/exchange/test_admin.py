import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import make_essay, make_feedback

pytestmark = pytest.mark.django_db

DOWNLOAD = reverse("exchange:download")


@pytest.fixture
def staff_client(client):
    # Staff with every permission on content, but not a superuser.
    user = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(user)
    return client


def test_a_superuser_downloads_the_whole_site_as_one_zip(admin_client):
    make_essay(title="Serge", slug="serge", published=False)

    response = admin_client.get(DOWNLOAD)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="sergesite-')
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(zipped.read("manifest.json"))["counts"]["essays"] == 1
    assert "feedback.json" not in zipped.namelist()


def test_feedback_is_in_the_download_only_when_asked_for(admin_client):
    make_feedback(message="Hello")

    response = admin_client.get(DOWNLOAD, {"feedback": "1"})

    zipped = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(zipped.read("feedback.json"))[0]["message"] == "Hello"
    assert "with-feedback.zip" in response["Content-Disposition"]


def test_staff_who_are_not_superusers_cannot_download_an_export(staff_client):
    assert staff_client.get(DOWNLOAD).status_code == 403


def test_a_visitor_is_sent_to_the_admin_login(client):
    response = client.get(DOWNLOAD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_download_is_a_safe_request_only(admin_client):
    assert admin_client.post(DOWNLOAD).status_code == 405


def test_the_admin_index_offers_the_export_to_superusers_only(admin_client, staff_client):
    assert "Download a full export" in admin_client.get(reverse("admin:index")).content.decode()

    staff_page = staff_client.get(reverse("admin:index")).content.decode()
    assert "Download a full export" not in staff_page
