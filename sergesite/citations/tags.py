"""
What programs read from a page, written from the same CSL-JSON item as the
visible citation: Highwire Press citation_* meta tags (Google Scholar,
Zotero) and a COinS OpenURL for each item in a bibliography list.
"""

from urllib.parse import urlencode

from . import names
from .files import date_parts, year


def highwire_date(item, variable="issued"):
    return "/".join(
        [f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(date_parts(item, variable))]
    )


def highwire(item, *, page_url=""):
    """(name, content) pairs for <meta name=...>."""
    pairs = [("citation_title", item["title"])]
    pairs += [("citation_author", names.inverted(name)) for name in item.get("author", [])]
    if date_parts(item, "issued"):
        pairs.append(("citation_publication_date", highwire_date(item)))
    if date_parts(item, "available-date"):
        pairs.append(("citation_online_date", highwire_date(item, "available-date")))
    if item["type"] == "chapter" and item.get("container-title"):
        pairs.append(("citation_inbook_title", item["container-title"]))
    for variable, name in [
        ("publisher", "citation_publisher"),
        ("ISBN", "citation_isbn"),
        ("language", "citation_language"),
        ("abstract", "citation_abstract"),
        ("keyword", "citation_keywords"),
    ]:
        if item.get(variable):
            pairs.append((name, item[variable]))
    if item.get("URL"):
        pairs += [("citation_public_url", item["URL"]), ("citation_fulltext_html_url", item["URL"])]
    if page_url and page_url != item.get("URL"):
        pairs.append(("citation_abstract_html_url", page_url))
    return pairs


def coins(item):
    """An OpenURL ContextObject: the title of a <span class="Z3988">."""
    book = item["type"] in ("book", "chapter", "pamphlet")
    pairs = [("ctx_ver", "Z39.88-2004")]
    authors = [names.inverted(name) for name in item.get("author", [])]
    if book:
        chapter = item["type"] == "chapter"
        pairs += [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
            ("rft.genre", "bookitem" if chapter else "book"),
        ]
        if chapter:
            pairs += [
                ("rft.atitle", item["title"]),
                ("rft.btitle", item.get("container-title", "")),
            ]
        else:
            pairs.append(("rft.btitle", item["title"]))
        pairs += [("rft.au", name) for name in authors]
        fields = [("rft.pub", "publisher"), ("rft.place", "publisher-place"), ("rft.isbn", "ISBN")]
    else:
        # A web page or article: Dublin Core, which Zotero reads as a web page.
        pairs += [("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", item["type"])]
        pairs.append(("rft.title", item["title"]))
        pairs += [("rft.creator", name) for name in authors]
        fields = [("rft.publisher", "publisher"), ("rft.source", "container-title")]
        if item.get("URL"):
            pairs.append(("rft.identifier", item["URL"]))
    if date_parts(item, "issued"):
        pairs.append(
            (
                "rft.date",
                "-".join([year(item), *(f"{p:02d}" for p in date_parts(item, "issued")[1:])]),
            )
        )
    pairs += [(key, item[variable]) for key, variable in fields if item.get(variable)]
    if item.get("language"):
        pairs.append(("rft.language", item["language"]))
    return urlencode(pairs)


def schema_date(item, variable="issued"):
    parts = date_parts(item, variable)
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts else ""
