"""
What research tools need to cite an essay: Highwire Press meta tags (read by
Google Scholar and Zotero), Open Graph, a schema.org JSON-LD block, a plain
citation for people and a BibTeX record for reference managers.

Everything is built from the essay and the request's host, never in templates.
"""

import json
import re
import unicodedata

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The same escapes Django's json_script applies: inside <script> the HTML
# parser only looks for "</script", so no <, > or & may appear literally.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def inverted_name(name):
    """“David Renton” → “Renton, David”, the order bibliographies sort by."""
    name = " ".join(name.split())
    if "," in name or " " not in name:
        return name
    given, family = name.rsplit(" ", 1)
    return f"{family}, {given}"


def bibtex_escape(text):
    return "".join(_BIBTEX_ESCAPES.get(char, char) for char in " ".join(text.split()))


def _ascii_word(text):
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


class Citation:
    """One essay as seen by a citation tool. Reads the essay's tags, people and
    works: prefetch them, or each costs a query."""

    def __init__(self, essay, request):
        self.essay = essay
        self.request = request

    @cached_property
    def url(self):
        return self.request.build_absolute_uri(self.essay.get_absolute_url())

    @cached_property
    def bibtex_url(self):
        return reverse("essays:bibtex", kwargs={"slug": self.essay.slug})

    @property
    def author(self):
        return self.essay.author or settings.SITE_AUTHOR

    @property
    def site_name(self):
        return settings.SITE_NAME

    @cached_property
    def published(self):
        if self.essay.published_at is None:
            return None
        return timezone.localtime(self.essay.published_at)

    @cached_property
    def tags(self):
        return [tag.name for tag in self.essay.tags.all()]

    def meta_tags(self):
        """(name, content) pairs for <meta name=...>: Highwire Press tags."""
        essay = self.essay
        pairs = [("citation_title", essay.title)]
        if self.author:
            pairs.append(("citation_author", inverted_name(self.author)))
        if self.published:
            date = self.published.strftime("%Y/%m/%d")
            pairs += [("citation_publication_date", date), ("citation_online_date", date)]
        pairs += [
            ("citation_publisher", self.site_name),
            ("citation_public_url", self.url),
            ("citation_fulltext_html_url", self.url),
            ("citation_language", "en"),
        ]
        if essay.part_of_id:
            pairs.append(("citation_inbook_title", essay.part_of.title))
        if essay.summary:
            pairs.append(("citation_abstract", " ".join(essay.summary.split())))
        if self.tags:
            pairs.append(("citation_keywords", "; ".join(self.tags)))
        return pairs

    def open_graph(self):
        """(property, content) pairs for <meta property=...>."""
        essay = self.essay
        pairs = [
            ("og:type", "article"),
            ("og:title", essay.title),
            ("og:url", self.url),
            ("og:site_name", self.site_name),
            ("og:locale", "en_GB"),
        ]
        if essay.summary:
            pairs.append(("og:description", " ".join(essay.summary.split())))
        if self.published:
            pairs.append(("article:published_time", self.published.isoformat()))
        pairs += [
            ("article:modified_time", timezone.localtime(essay.updated_at).isoformat()),
            ("article:section", essay.section.title),
        ]
        pairs += [("article:tag", name) for name in self.tags]
        return pairs

    def json_ld(self):
        essay = self.essay
        absolute = self.request.build_absolute_uri
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": essay.title,
            "url": self.url,
            "mainEntityOfPage": self.url,
            "inLanguage": "en",
            "articleSection": essay.section.title,
            "dateModified": timezone.localtime(essay.updated_at).isoformat(),
            "publisher": {
                "@type": "Organization",
                "name": self.site_name,
                "url": absolute(reverse("home")),
            },
        }
        if self.author:
            data["author"] = {"@type": "Person", "name": self.author}
        if self.published:
            data["datePublished"] = self.published.isoformat()
        if essay.summary:
            data["description"] = " ".join(essay.summary.split())
        if self.tags:
            data["keywords"] = self.tags
        if essay.part_of_id:
            data["isPartOf"] = {
                "@type": "Book",
                "name": essay.part_of.title,
                "url": absolute(essay.part_of.get_absolute_url()),
            }
        mentions = [
            {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}
            for person in essay.people.all()
        ] + [
            {"@type": "CreativeWork", "name": work.title, "url": absolute(work.get_absolute_url())}
            for work in essay.works.all()
        ]
        if mentions:
            data["mentions"] = mentions
        return data

    def json_ld_script(self):
        # The escapes keep editor text from closing the element early, so the
        # JSON may be marked safe; the block is data, not script, for the CSP.
        text = json.dumps(self.json_ld(), ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
        return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))

    def plain(self):
        """A Chicago-style web citation, as plain text for people to copy."""
        parts = []
        if self.author:
            parts.append(f"{inverted_name(self.author).rstrip('.')}.")
        parts.append(f"“{self.essay.title.rstrip('.')}.”")
        when = f"{self.published.day} {self.published:%B %Y}" if self.published else "n.d."
        parts.append(f"{self.site_name}, {when}.")
        parts.append(f"{self.url}.")
        return " ".join(parts)

    @cached_property
    def bibtex_key(self):
        family = _ascii_word(inverted_name(self.author).split(",")[0]) if self.author else ""
        words = [_ascii_word(word) for word in self.essay.title.split()]
        first = next((word for word in words if len(word) > 3), "") or "essay"
        year = str(self.published.year) if self.published else ""
        return f"{family}{year}{first}"

    def bibtex(self):
        essay = self.essay
        fields = []
        if self.author:
            fields.append(("author", bibtex_escape(inverted_name(self.author))))
        # Double braces keep BibTeX styles from lower-casing the title.
        fields.append(("title", "{" + bibtex_escape(essay.title) + "}"))
        fields.append(("howpublished", bibtex_escape(self.site_name)))
        if self.published:
            fields += [
                ("year", str(self.published.year)),
                ("month", self.published.strftime("%b").lower()),
                ("date", self.published.date().isoformat()),
            ]
        fields.append(("url", self.url))
        fields.append(("urldate", timezone.localdate().isoformat()))
        if essay.part_of_id:
            fields.append(("note", "A chapter of " + bibtex_escape(essay.part_of.title)))
        if self.tags:
            fields.append(("keywords", bibtex_escape(", ".join(self.tags))))
        lines = [f"@misc{{{self.bibtex_key},"]
        # month is a BibTeX macro (jan, feb...): it is written without braces.
        lines += [
            f"  {name} = {value}," if name == "month" else f"  {name} = {{{value}}},"
            for name, value in fields
        ]
        lines.append("}")
        return "\n".join(lines) + "\n"
