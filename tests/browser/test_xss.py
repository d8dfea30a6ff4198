"""
Every payload of the project's XSS list, stored where editors and readers can
put text, then opened in Chromium: no dialog may open, no script may run, the
CSP may report no violation, and nothing may be fetched from elsewhere.

The sanitizer should leave nothing for the CSP to block, so a CSP violation
counts as a failure too: it means hostile markup reached the page.
"""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from feedback.models import Feedback
from tests.factories import make_essay, make_person, make_section
from tests.xss_payloads import XSS_PAYLOADS, find_executable_markup

pytestmark = pytest.mark.browser


def open_each(page, log, pages, rendered_selector=None):
    """Open each (payload, url) and return what went wrong, payload by payload."""
    failures = []
    for payload, url in pages:
        before = len(log.problems)
        response = page.goto(url)
        found = [f"status {response.status}"] if response.status != 200 else []
        found += [
            problem
            for problem in log.problems[before:]
            # A sanitized <img src="x"> is a broken image, not a script.
            if not (
                problem.startswith("console error: Failed to load resource") and "404" in problem
            )
        ]
        if rendered_selector:
            # The markup as the browser parsed it: mutation XSS shows only here.
            # (A payload that sanitizes to nothing leaves no element at all.)
            for element in page.locator(rendered_selector).all():
                found += find_executable_markup(element.inner_html())
        if found:
            failures.append(f"{payload!r} at {url}: {found}")
    return failures


def test_no_payload_runs_when_written_as_an_essay_body(page, browser_log):
    section = make_section()
    essays = [
        (payload, make_essay(title=f"Payload {number}", section=section, body=payload))
        for number, payload in enumerate(XSS_PAYLOADS)
    ]
    pages = [(payload, essay.get_absolute_url()) for payload, essay in essays]

    failures = open_each(page, browser_log, pages, rendered_selector="main .prose")

    assert failures == [], "\n".join(failures)


def test_no_payload_runs_when_written_as_a_person_biography(page, browser_log):
    pages = [
        (payload, make_person(name=f"Person {number}", biography=payload).get_absolute_url())
        for number, payload in enumerate(XSS_PAYLOADS)
    ]

    failures = open_each(page, browser_log, pages, rendered_selector="main .prose")

    assert failures == [], "\n".join(failures)


def test_no_payload_runs_when_an_editor_reads_it_as_feedback_in_the_admin(
    page, browser_log, live_server
):
    messages = [
        Feedback.objects.create(name=payload[:200], about=payload[:300], message=payload)
        for payload in XSS_PAYLOADS
    ]
    # Signing in through the form is tested in the editor flows; here the
    # session is made directly.
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "pw"))
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": session.key, "value": session.value, "url": live_server.url}]
    )
    changelist = reverse("admin:feedback_feedback_changelist")
    pages = [("every message, listed", f"{changelist}?all=")] + [
        (message.message, reverse("admin:feedback_feedback_change", args=[message.pk]))
        for message in messages
    ]

    failures = open_each(page, browser_log, pages)

    assert failures == [], "\n".join(failures)
    # The editor did see the messages, as text.
    page.goto(reverse("admin:feedback_feedback_change", args=[messages[0].pk]))
    assert XSS_PAYLOADS[0] in page.locator("#content").inner_text()
