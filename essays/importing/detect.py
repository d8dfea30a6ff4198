"""Bytes to text, and which of our three formats the text is."""

import codecs
import re

from .parsed import ImportFailure

# Larger than any essay page; a guard against someone importing a disk image.
MAX_SOURCE_BYTES = 5 * 1024 * 1024

HTML = "html"
MARKDOWN = "markdown"
TEXT = "text"

MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mdown"}
HTML_EXTENSIONS = {".html", ".htm", ".shtml", ".xhtml"}

# Single-byte encodings charset-normalizer confuses with Windows-1252 on short
# Western text: their letters coincide for most bytes, and cp1252 is what old
# English and French sites were written in.
WESTERN_LOOKALIKES = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_1", "iso8859_2",
    "iso8859_9", "iso8859_15", "iso8859_16", "mac_roman", "mac_latin2", "cp850",
    "cp437", "ascii",
}  # fmt: skip

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_HTML_START = re.compile(r"\A\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(
    r"</?(p|div|br|h[1-6]|table|td|a|font|center|ul|li|blockquote)\b[^>]*>", re.I
)
_FRONT_MATTER = re.compile(r"\A(\ufeff)?---\s*\n.*?\n(---|\.\.\.)\s*(\n|\Z)", re.S)


def decode(data):
    """The text of a file, or ImportFailure with a reason an editor can act on."""
    if not data.strip():
        raise ImportFailure("the file is empty")
    if len(data) > MAX_SOURCE_BYTES:
        raise ImportFailure(f"the file is larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MB")
    if _looks_binary(data):
        raise ImportFailure("not a text file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return _decoded_as_declared(data, declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: guess instead
    # Imported here: workers that serve pages never load the detector.
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is None:
        raise ImportFailure("the text's encoding could not be recognised")
    if guess.encoding in WESTERN_LOOKALIKES:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            # Five bytes are undefined in cp1252; latin-1 maps every byte.
            return data.decode("latin-1")
    return str(guess)


def _decoded_as_declared(data, label):
    """
    The text in its declared charset, read as browsers read it: pages labelled
    ISO-8859-1 or ASCII were nearly always typed in Windows-1252, and browsers
    have always shown their curly quotes and dashes (the WHATWG encoding
    standard maps those labels to windows-1252). Decoding them as Latin-1
    would turn each into an invisible control character.
    """
    name = codecs.lookup(label).name
    if name not in {"iso8859-1", "ascii", "cp1252"}:
        return data.decode(name)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes are undefined in cp1252; latin-1 maps every byte.
        return data.decode("latin-1")


def _looks_binary(data):
    sample = data[:8192]
    if b"\x00" in sample:
        # UTF-16 text has NULs too, but no old site served it.
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f")
    return controls > len(sample) * 0.02


def sniff(text, extension):
    """HTML, MARKDOWN or TEXT: the content decides, the extension breaks ties."""
    if _FRONT_MATTER.match(text):
        return MARKDOWN
    head = text[:4096]
    if _HTML_START.match(head):
        return HTML
    tags = len(_HTML_TAG.findall(head))
    if tags >= 3 and extension not in MARKDOWN_EXTENSIONS:
        return HTML
    if extension in MARKDOWN_EXTENSIONS:
        return MARKDOWN
    if extension in HTML_EXTENSIONS and tags:
        return HTML
    return TEXT
