"""
How a work is cited. csl_item() builds its one citation record (CSL-JSON);
the "Cite this" box, downloads, Highwire tags, COinS and JSON-LD are written
from it by sergesite.citations. They read the work's prefetched
contributions, so a page that shows one work pays no extra query for them.

Editions: a record with a translator, or a year of the English edition, of a
work first written in another language describes the English edition: it is
cited with that edition's year, its translator, language "en" and its
publisher, and the original's year goes in as CSL original-date (BibTeX
origdate, RIS OP). A work never published is dated by the year written.
"""

from sergesite.citations import tags

CSL_TYPES = {
    "chapter": "chapter",
    "article": "article",
    "essay": "article",
    "pamphlet": "pamphlet",
}

# schema.org has no type for a novel or a pamphlet: they are all Books.
SCHEMA_TYPES = {
    **dict.fromkeys(
        ["book", "novel", "memoir", "history", "biography", "politics", "philosophy",
         "economics", "pamphlet", "poems"],
        "Book",
    ),
    "chapter": "Chapter",
    "article": "Article",
}  # fmt: skip


def schema_type(work):
    return SCHEMA_TYPES.get(work.kind, "CreativeWork")


def is_english_edition(work):
    translated = bool(work.people_in_role("translator")) or work.year_published_english
    return bool(translated) and work.original_language not in ("", "en")


def _year(value):
    return {"date-parts": [[value]]}


def csl_item(work, base_url=""):
    english = is_english_edition(work)
    item = {"id": f"work-{work.slug}", "type": CSL_TYPES.get(work.kind, "book")}
    if work.kind == "chapter" and not work.part_of_id:
        item["type"] = "article"
    item["title"] = work.full_title
    for role in ("author", "editor", "translator"):
        people = work.people_in_role(role)
        if people:
            item[role] = [person.csl_name() for person in people]
    if work.part_of_id:
        item["container-title"] = work.part_of.full_title
    if work.original_title:
        item["original-title"] = work.original_title
    if english:
        item["language"] = "en"
        issued = work.year_published_english or work.year
        original = work.year_published or work.year_written
        if original and original != issued:
            item["original-date"] = _year(original)
    else:
        issued = work.year
        if work.original_language:
            item["language"] = work.original_language
    if issued:
        item["issued"] = _year(issued)
    for variable, value in [
        ("publisher", work.publisher),
        ("publisher-place", work.place),
        ("ISBN", work.isbn),
        ("URL", work.online_url),
        ("note", work.date_note),
    ]:
        if value:
            item[variable] = value
    return item


def json_ld(work, item, *, absolute_uri):
    def url(obj):
        return absolute_uri(obj.get_absolute_url())

    def reference(other):
        return {"@type": schema_type(other), "name": other.full_title, "url": url(other)}

    data = {
        "@context": "https://schema.org",
        "@type": schema_type(work),
        "name": item["title"],
        "url": url(work),
    }
    if work.subtitle:
        data["alternativeHeadline"] = work.subtitle
    if work.original_title:
        data["alternateName"] = work.original_title
    if item.get("language"):
        data["inLanguage"] = item["language"]
    for role in ("author", "editor", "translator"):
        people = work.people_in_role(role)
        if people:
            data[role] = [person.schema_reference(url(person)) for person in people]
    if item.get("issued"):
        data["datePublished"] = tags.schema_date(item)
    if work.year_written:
        data["dateCreated"] = str(work.year_written)
    if work.publisher:
        data["publisher"] = {"@type": "Organization", "name": work.publisher}
    if work.isbn and data["@type"] == "Book":
        data["isbn"] = work.isbn
    if work.part_of_id:
        data["isPartOf"] = reference(work.part_of)
    if work.translation_of_id:
        data["translationOfWork"] = reference(work.translation_of)
    elif is_english_edition(work) and work.original_title:
        # The original has no record of its own: described here.
        original = {"@type": data["@type"], "name": work.original_title}
        if work.original_language:
            original["inLanguage"] = work.original_language
        if item.get("original-date"):
            original["datePublished"] = tags.schema_date(item, "original-date")
        data["translationOfWork"] = original
    if work.online_url:
        data["sameAs"] = work.online_url
    return data
