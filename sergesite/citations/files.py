"""
Downloads for reference managers, written from CSL-JSON items: BibTeX
(biblatex fields, which Zotero and JabRef read), RIS and CSL-JSON itself.
A list download is the same writer over several items.
"""

import json
import re
import unicodedata

import rispy

from . import names as csl_names

CONTENT_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}

BIBTEX_TYPES = {
    "book": "book",
    "chapter": "incollection",
    "article": "article",
    "article-journal": "article",
    "pamphlet": "booklet",
    "webpage": "online",
}
RIS_TYPES = {
    "book": "BOOK",
    "chapter": "CHAP",
    "article": "JOUR",
    "article-journal": "JOUR",
    "pamphlet": "PAMP",
    "webpage": "ELEC",
}

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


def date_parts(item, variable):
    """[year, month, day] as far as known, or []."""
    parts = (item.get(variable) or {}).get("date-parts") or [[]]
    return [int(part) for part in parts[0]]


def iso_date(item, variable):
    parts = date_parts(item, variable)
    return "-".join([f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:])]) if parts else ""


def year(item, variable="issued"):
    parts = date_parts(item, variable)
    return str(parts[0]) if parts else ""


def csl_json(items):
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def bibtex_escape(text):
    return "".join(_BIBTEX_ESCAPES.get(char, char) for char in " ".join(str(text).split()))


def _bibtex_name(name):
    if "literal" in name:
        # Braces keep a corporate or single name whole: never “editors, The”.
        return "{" + bibtex_escape(name["literal"]) + "}"
    family = bibtex_escape(csl_names.family_with_particle(name))
    given = bibtex_escape(csl_names.given_with_particle(name))
    if name.get("suffix"):
        return f"{family}, {bibtex_escape(name['suffix'])}, {given}"
    return f"{family}, {given}" if given else family


def _ascii_word(text):
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def bibtex_key(item):
    authors = item.get("author") or item.get("editor") or []
    first = authors[0] if authors else {}
    family = _ascii_word(first.get("family") or first.get("literal", ""))
    words = [_ascii_word(word) for word in item.get("title", "").split()]
    word = next((w for w in words if len(w) > 3), "") or "item"
    return f"{family}{year(item)}{word}"


def _bibtex_entry(item, key):
    fields = []
    for role in ("author", "editor", "translator"):
        if item.get(role):
            fields.append((role, " and ".join(_bibtex_name(name) for name in item[role])))
    # Double braces keep BibTeX styles from lower-casing the title.
    fields.append(("title", "{" + bibtex_escape(item["title"]) + "}"))
    container = item.get("container-title")
    if container:
        field = {"chapter": "booktitle", "webpage": "organization"}.get(
            item["type"], "journaltitle"
        )
        fields.append((field, bibtex_escape(container)))
    if item.get("container-author"):
        names = " and ".join(_bibtex_name(name) for name in item["container-author"])
        fields.append(("bookauthor", names))
    if item.get("original-title"):
        fields.append(("origtitle", bibtex_escape(item["original-title"])))
    for variable, field in [("publisher", "publisher"), ("publisher-place", "location")]:
        if item.get(variable):
            fields.append((field, bibtex_escape(item[variable])))
    if date_parts(item, "issued"):
        fields += [("date", iso_date(item, "issued")), ("year", year(item))]
    if date_parts(item, "original-date"):
        fields.append(("origdate", iso_date(item, "original-date")))
    for variable, field in [
        ("language", "language"),
        ("ISBN", "isbn"),
        ("URL", "url"),
        ("note", "note"),
        ("abstract", "abstract"),
        ("keyword", "keywords"),
    ]:
        if item.get(variable):
            value = item[variable] if field == "url" else bibtex_escape(item[variable])
            fields.append((field, value))
    if date_parts(item, "available-date"):
        fields.append(("urldate", iso_date(item, "available-date")))
    lines = [f"@{BIBTEX_TYPES.get(item['type'], 'misc')}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


def bibtex(items):
    seen = {}
    entries = []
    for item in items:
        key = bibtex_key(item)
        seen[key] = seen.get(key, 0) + 1
        # Two entries may not share a key: the second gets b, the third c...
        entries.append(_bibtex_entry(item, key + ("" if seen[key] == 1 else chr(96 + seen[key]))))
    return "\n".join(entries)


def _ris_date(item, variable):
    parts = date_parts(item, variable)
    return "/".join([f"{parts[0]:04d}", *(f"{part:02d}" for part in parts[1:])]) if parts else ""


def ris_entry(item):
    entry = {"type_of_reference": RIS_TYPES.get(item["type"], "GEN")}
    entry["authors"] = [csl_names.inverted(name) for name in item.get("author", [])]
    if item.get("editor"):
        entry["secondary_authors"] = [csl_names.inverted(name) for name in item["editor"]]
    if item.get("translator"):
        entry["subsidiary_authors"] = [csl_names.inverted(name) for name in item["translator"]]
    entry["title"] = item["title"]
    optional = {
        "secondary_title": item.get("container-title"),
        "translated_title": item.get("original-title"),
        "publisher": item.get("publisher"),
        "place_published": item.get("publisher-place"),
        "year": year(item),
        "date": _ris_date(item, "issued"),
        "original_publication": year(item, "original-date"),
        "language": item.get("language"),
        "issn": item.get("ISBN"),
        "urls": [item["URL"]] if item.get("URL") else [],
        "notes": [item["note"]] if item.get("note") else [],
        "abstract": item.get("abstract"),
        "access_date": _ris_date(item, "available-date"),
    }
    entry.update({key: value for key, value in optional.items() if value})
    if not entry["authors"]:
        del entry["authors"]
    return entry


class _RisWriter(rispy.RisWriter):
    # rispy numbers each record ("1."); reference managers expect none.
    def set_header(self, count):
        return ""


def ris(items):
    return rispy.dumps([ris_entry(item) for item in items], implementation=_RisWriter)


def write(kind, items):
    return {"bib": bibtex, "ris": ris, "json": csl_json}[kind](items)
