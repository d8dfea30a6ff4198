import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_essay, make_section
from tests.xss_payloads import XSS_PAYLOADS, find_executable_markup

pytestmark = pytest.mark.django_db


def _allowed_on_a_page(tag, attributes):
    # What the site's own templates put on every page, and nothing else.
    if tag == "script":
        # Data blocks, and the site's own files (the CSP allows nothing else).
        src = attributes.get("src") or ""
        return attributes.get("type") == "application/ld+json" or (
            src.startswith(settings.STATIC_URL) or src.startswith("/" + settings.STATIC_URL)
        )
    if tag in ("form", "input", "button"):
        return tag != "form" or attributes.get("action") == reverse("search")
    if tag in ("meta", "link"):
        return "http-equiv" not in attributes and attributes.get("rel") != "import"
    return False


def _json_ld_blocks(content):
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)


def test_the_page_checker_accepts_an_ordinary_essay_page(client):
    content = client.get(make_essay(body="Plain *text*.").get_absolute_url()).content.decode()

    assert find_executable_markup(content, allow=_allowed_on_a_page) == []
    assert find_executable_markup(content) != []  # the page's own scripts and forms


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_an_essay_body_payload_leaves_no_executable_markup_on_the_page(client, payload):
    essay = make_essay(body=f"Before.\n\n{payload}\n\nAfter.")

    content = client.get(essay.get_absolute_url()).content.decode()

    assert find_executable_markup(content, allow=_allowed_on_a_page) == []
    assert len(_json_ld_blocks(content)) == 1


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_payload_in_the_title_summary_and_tags_is_shown_as_text(client, payload):
    essay = make_essay(title=payload[:300], summary=payload, tags=[payload[:100]])

    content = client.get(essay.get_absolute_url()).content.decode()

    assert find_executable_markup(content, allow=_allowed_on_a_page) == []
    blocks = _json_ld_blocks(content)
    assert len(blocks) == 1
    assert json.loads(blocks[0])["headline"] == payload[:300]


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:12])
def test_a_payload_in_a_section_intro_is_defused(client, payload):
    section = make_section(title=payload[:120], intro=payload)

    content = client.get(section.get_absolute_url()).content.decode()

    assert find_executable_markup(content, allow=_allowed_on_a_page) == []
