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


def rewrite(body, *, source, address_of, base_url="", write_images=True, file_address=None):
    """(new body, number of images, warnings). address_of(key) answers an
    essay URL for a batch path or an old address, or None. file_address: the
    file's own old address, when known; else a mirror's (base_url) is used."""
    warnings, images, unknown, pointed = [], 0, [], []
    if file_address is None and base_url is not None and source.home is None:
        file_address = old_address(source.relpath, base_url)

    def replace(match):
        nonlocal images
        target = match["target"]
        if EXTERNAL.match(target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        path = unquote(path.split("?", 1)[0])
        relpath = _batch_path(source.relpath, path, base_url)
        if match["bang"]:
            try:
                data = _image(source, relpath, path)
                url = store_image(data, write=write_images)
            except ImportFailure as problem:
                warnings.append(f"image {target} left out: {problem}")
                return match["text"]
            images += 1
            return f"![{match['text']}]({url})"
        fragment = "#" + fragment if fragment else ""
        if relpath and _is_folder(path) and not _is_folder(relpath):
            relpath += "/"  # normpath drops the slash of /books/
        url = _page_outside(source, path, address_of, base_url)
        url = url or (_page(relpath, address_of) if relpath else None) or address_of(path)
        meant = None
        if url is None and path and (file_address or path.startswith("/")):
            meant = _old_path(file_address, path)
        if meant:
            url = _page(meant, address_of)
            if url is None:
                # Not imported (yet): the old address it meant, which the
                # redirect recorded when that page is imported will answer.
                url = meant
                pointed.append(target)
        if url is None:
            unknown.append(target)
            return match.group(0)
        return f"[{match['text']}]({url}{fragment})"

    if "](" in body:
        body = LINK.sub(replace, body)
    if pointed:
        shown = ", ".join(sorted(set(pointed))[:5])
        warnings.append(
            f"{len(pointed)} link(s) to old pages that are not imported, pointed at their old "
            f"addresses, which will lead to them once they are: {shown}"
        )
    if unknown:
        shown = ", ".join(sorted(set(unknown))[:5])
        warnings.append(
            f"{len(unknown)} link(s) to old pages that are not imported, left as they were: {shown}"
        )
    return body, images, warnings


def _image(source, relpath, path):
    # Pages uploaded loose, without their folders, have their images beside them.
    beside = posixpath.join(posixpath.dirname(source.relpath), posixpath.basename(path))
    for candidate in (relpath, beside):
        if candidate and source.root.has(candidate):
            return source.root.read(candidate, limit=MAX_IMAGE_BYTES)
    data = source.read_outside(path, MAX_IMAGE_BYTES)
    if data is None:
        raise ImportFailure("not found in the batch")
    return data


def _page(key, address_of):
    """The essay a page link leads to; a folder's is its index page's."""
    url = address_of(key)
    if url is None and _is_folder(key):
        folder = key.rstrip("/")
        if folder in ("", "."):
            folder = "/" if key.startswith("/") else ""
        else:
            folder += "/"
        url = address_of(folder + "index.html") or address_of(folder + "index.htm")
    return url


def _page_outside(source, path, address_of, base_url):
    # A file given on its own: the page its relative link leads to on disk,
    # known by its old address from a folder imported before. The mirror's
    # root is one of the folders holding both. The farthest is tried first:
    # from books/, "index.html" is /books/index.html before it is /index.html.
    if source.home is None or path.startswith("/") or not path:
        return None
    (target,) = source.outside(path)
    folders = [f for f in [source.home, *source.home.parents] if target.is_relative_to(f)]
    for folder in reversed(folders[:4]):
        relpath = target.relative_to(folder).as_posix()
        relpath = "" if relpath == "." else relpath
        if _is_folder(path) and relpath:
            relpath += "/"
        url = _page(old_address(relpath, base_url or "/"), address_of)
        if url:
            return url
    return None


def _is_folder(path):
    return path.endswith("/") or posixpath.basename(path) in ("", ".", "..")


def _old_path(file_address, target):
    """The absolute old address a link from the page at file_address meant,
    or None when it leads above the site's root."""
    if target.startswith("/"):
        return target
    joined = resolve(file_address.lstrip("/"), target)
    if joined is None:
        return None
    joined = "" if joined == "." else joined
    return "/" + joined + ("/" if _is_folder(target) and joined else "")


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
