"""Markdown drafts, with YAML front matter or without."""

import re

import frontmatter
import yaml

from .parsed import ImportFailure, Parsed, clean_line, parse_date

KNOWN_KEYS = {
    "title", "slug", "date", "section", "tags", "summary", "author", "status",
    "legacy_url", "old_urls",
}  # fmt: skip
STATUSES = {"draft", "published"}

_FIRST_HEADING = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*(\n|\Z)")
_RAW_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^>]*)?>")


def parse(text, *, fallback_title):
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as error:
        raise ImportFailure(f"the front matter is not valid YAML ({_first_line(error)})") from None
    meta, body = post.metadata, post.content
    if not isinstance(meta, dict):
        raise ImportFailure("the front matter must be a list of 'key: value' lines")
    warnings = [f"front matter key '{key}' is not used" for key in meta if key not in KNOWN_KEYS]

    title = clean_line(str(meta.get("title") or ""))
    heading = _FIRST_HEADING.match(body)
    if heading and (not title or clean_line(heading.group(1)) == title):
        # The page shows the title as its only <h1>: don't repeat it in the body.
        title = title or clean_line(heading.group(1))
        body = body[heading.end() :]
    if not title:
        title = fallback_title
        warnings.append("no title in the front matter or a first '# heading': named after the file")

    status = str(meta.get("status") or "").strip().lower()
    if status and status not in STATUSES:
        warnings.append(f"status '{status}' is neither draft nor published: ignored")
        status = ""
    date = parse_date(meta.get("date"))
    if meta.get("date") and date is None:
        warnings.append(f"date '{meta['date']}' is not a date: ignored")
    if _RAW_TAG.search(body):
        warnings.append("the Markdown holds raw HTML: the renderer keeps only safe tags")

    return Parsed(
        title=title,
        body=body.strip() + "\n",
        format="markdown",
        slug=str(meta.get("slug") or "").strip(),
        date=date,
        section=str(meta.get("section") or "").strip(),
        tags=_tags(meta.get("tags")),
        summary=clean_line(str(meta.get("summary") or "")),
        author=clean_line(str(meta.get("author") or "")),
        status=status,
        old_urls=_old_urls(meta),
        warnings=warnings,
    )


def _tags(value):
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [clean_line(str(tag)) for tag in value if clean_line(str(tag))]


def _old_urls(meta):
    urls = []
    extra = meta.get("old_urls") or []
    if isinstance(extra, str):
        extra = [extra]
    for value in [meta.get("legacy_url"), *extra]:
        if value and str(value).strip() not in urls:
            urls.append(str(value).strip())
    return urls


def _first_line(error):
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
