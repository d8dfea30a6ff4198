"""
Links and images in an imported body, on its Markdown (the same for all three
formats): a link to another page of the batch, or to a page imported before,
points at that essay's new address; a local image is stored in media and the
Markdown points at its new URL.
"""

import posixpath
import re
from urllib.parse import unquote

from .images import MAX_IMAGE_BYTES, store_image
from .parsed import ImportFailure
from .sources import resolve

# [text](target "title") and ![alt](target): text may hold one level of [brackets].
# The lookahead lets the regex engine skip to the next "!" or "[" instead of
# trying a match at every character of a long body.
LINK = re.compile(
    r"(?=[!\[])(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\]\n]*\])*)\]"
    r"\(\s*<?(?P<target>[^)\s>]+)>?(?P<title>\s+\"[^\"]*\")?\s*\)"
)
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#)", re.I)


def rewrite(body, *, source, address_of, base_url="", write_images=True):
    """(new body, number of images, warnings). address_of(key) answers an
    essay URL for a batch path or an old address, or None."""
    warnings, images, unknown = [], 0, []

    def replace(match):
        nonlocal images
        target = match["target"]
        if EXTERNAL.match(target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        path = unquote(path.split("?", 1)[0])
        relpath = _batch_path(source.relpath, path, base_url)
        if match["bang"]:
            # Pages uploaded loose, without their folders, have their images beside them.
            beside = posixpath.join(posixpath.dirname(source.relpath), posixpath.basename(path))
            found = [p for p in (relpath, beside) if p and source.root.has(p)]
            try:
                if not found:
                    raise ImportFailure("not found in the batch")
                url = store_image(
                    source.root.read(found[0], limit=MAX_IMAGE_BYTES), write=write_images
                )
            except ImportFailure as problem:
                warnings.append(f"image {target} left out: {problem}")
                return match["text"]
            images += 1
            return f"![{match['text']}]({url})"
        url = address_of(relpath) if relpath else None
        url = url or address_of(path)
        if url is None:
            unknown.append(target)
            return match.group(0)
        return f"[{match['text']}]({url}{'#' + fragment if fragment else ''})"

    if "](" in body:
        body = LINK.sub(replace, body)
    if unknown:
        shown = ", ".join(sorted(set(unknown))[:5])
        warnings.append(
            f"{len(unknown)} link(s) to old pages that are not imported, left as they were: {shown}"
        )
    return body, images, warnings


def _batch_path(relpath, target, base_url):
    if target.startswith("/"):
        prefix = base_url or "/"
        if not target.startswith(prefix):
            return None
        return resolve("", target[len(prefix) :])
    return resolve(relpath, target)


def old_address(relpath, base_url):
    """The address a mirrored file had: anl/anl.html under / is /anl/anl.html."""
    return f"/{base_url.strip('/')}/{relpath}".replace("//", "/")
