"""
How a work describes itself to readers who cite it and to the programs that
read pages for them (Zotero, Google Scholar, search engines). Work's
citation(), citation_meta(), coins() and json_ld() call these; they read the
work's prefetched contributions, so a page that shows one work pays no extra
query for them.
"""

from urllib.parse import urlencode

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

# Contribution roles that schema.org has a property for.
SCHEMA_ROLES = ["author", "editor", "translator"]


def schema_type(work):
    return SCHEMA_TYPES.get(work.kind, "CreativeWork")


def _and(names):
    names = list(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _names(people):
    # The first name is inverted for the alphabet ("Serge, Victor"); the others
    # read as written, so the comma before "and" is needed even for two names.
    names = [people[0].sort_name, *(person.name for person in people[1:])]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _sentence(text):
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def plain(work):
    authors = work.people_in_role("author")
    editors = work.people_in_role("editor")
    translators = work.people_in_role("translator")
    parts = []
    if authors:
        parts.append(_names(authors))
    elif editors:
        parts.append(_names(editors) + (", eds." if len(editors) > 1 else ", ed."))
    parts.append(work.full_title)
    if work.part_of_id:
        parts.append(f"In {work.part_of.full_title}")
    if translators:
        parts.append("Translated by " + _and(person.name for person in translators))
    if authors and editors:
        parts.append("Edited by " + _and(person.name for person in editors))
    # A translation is read, and cited, in its English edition; the original's
    # date follows so the reader can place it.
    in_english = translators and work.year_published_english
    year = work.year_published_english if in_english else work.year
    published = ": ".join(part for part in (work.place, work.publisher) if part)
    if year:
        published = f"{published}, {year}" if published else str(year)
    if published:
        parts.append(published)
    if in_english and work.year_published and work.year_published != year:
        language = f" in {work.original_language_name}" if work.original_language else ""
        parts.append(f"First published{language} {work.year_published}")
    return " ".join(_sentence(part) for part in parts)


def highwire_meta(work):
    meta = [("citation_title", work.full_title)]
    meta += [("citation_author", person.sort_name) for person in work.people_in_role("author")]
    if work.year:
        meta.append(("citation_publication_date", str(work.year)))
    if work.publisher:
        meta.append(("citation_publisher", work.publisher))
    if work.isbn:
        meta.append(("citation_isbn", work.isbn))
    if work.original_language and not work.translation_of_id:
        meta.append(("citation_language", work.original_language))
    if work.part_of_id:
        meta.append(("citation_inbook_title", work.part_of.full_title))
    return meta


def coins(work):
    chapter = work.kind == "chapter" and work.part_of_id
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
        ("rft.genre", "bookitem" if chapter else "book"),
    ]
    if chapter:
        pairs += [("rft.atitle", work.full_title), ("rft.btitle", work.part_of.full_title)]
    else:
        pairs.append(("rft.btitle", work.full_title))
    pairs += [("rft.au", person.sort_name) for person in work.people_in_role("author")]
    for key, value in [
        ("rft.date", work.year),
        ("rft.pub", work.publisher),
        ("rft.place", work.place),
        ("rft.isbn", work.isbn),
    ]:
        if value:
            pairs.append((key, str(value)))
    return urlencode(pairs)


def json_ld(work, *, absolute_uri=None):
    def url(obj):
        path = obj.get_absolute_url()
        return absolute_uri(path) if absolute_uri else path

    def reference(other):
        return {"@type": schema_type(other), "name": other.title, "url": url(other)}

    data = {
        "@context": "https://schema.org",
        "@type": schema_type(work),
        "name": work.title,
        "url": url(work),
    }
    if work.subtitle:
        data["alternativeHeadline"] = work.subtitle
    if work.original_title:
        data["alternateName"] = work.original_title
    if work.original_language:
        data["inLanguage"] = work.original_language
    for role in SCHEMA_ROLES:
        people = work.people_in_role(role)
        if people:
            data[role] = [
                {"@type": "Person", "name": person.name, "url": url(person)} for person in people
            ]
    if work.year_published:
        data["datePublished"] = str(work.year_published)
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
    return data
