"""The admin's sign-in under a password-guessing attack, in Chromium."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def try_to_sign_in(page, password):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Log in").click()
    return navigation.value


def test_ten_wrong_passwords_lock_the_sign_in_until_the_cool_off_has_passed(page, editor):
    statuses = [try_to_sign_in(page, f"guess number {n}").status for n in range(10)]

    right = try_to_sign_in(page, PASSWORD)

    assert statuses == [200] * 4 + [429] * 6
    assert right.status == 429
    expect(page.get_by_role("heading", name="Sign-in locked")).to_be_visible()
    expect(page.get_by_text("for 15 minutes")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()  # still signed out

    # The cool-off passes: the failures now date from 16 minutes ago.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    signed_in = try_to_sign_in(page, PASSWORD)

    assert signed_in.status == 200
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
