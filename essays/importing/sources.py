"""
Where the files come from: a file, a folder walked recursively, or a zip read
in place (never extracted). Every path is checked to stay inside its root, so a
zip entry like ../../settings.py or a symlink out of the folder is refused.
"""

import os
import posixpath
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import detect
from .parsed import ImportFailure

# A zip may hold a whole old site, but not a decompression bomb.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_TOTAL_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200  # uncompressed / compressed, per entry

# Files a page refers to, never imported as essays themselves.
ASSET_EXTENSIONS = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".ico", ".svg", ".tif", ".tiff",
    ".css", ".js", ".woff", ".woff2", ".ttf", ".eot", ".map", ".swf",
}  # fmt: skip
# What a mirror holds beside its pages, for robots and servers, not readers.
NOT_PAGES = {
    "robots.txt", "humans.txt", "ads.txt", "security.txt", "sitemap.xml", "sitemap.xml.gz",
    "thumbs.db", "desktop.ini", "web.config", "crossdomain.xml", "browserconfig.xml",
}  # fmt: skip
NOT_PAGE_EXTENSIONS = {".xml", ".json", ".webmanifest", ".xsl", ".rss", ".atom", ".gz"}


def is_page(relpath):
    """Whether a file of a folder or zip may be an essay (else it is left out silently)."""
    name = PurePosixPath(relpath)
    suffix = name.suffix.lower()
    return (
        suffix not in ASSET_EXTENSIONS
        and suffix not in NOT_PAGE_EXTENSIONS
        and name.name.lower() not in NOT_PAGES
    )


@dataclass
class Source:
    relpath: str  # "anl/anl.html": its place in the batch, with / separators
    label: str  # what the report shows
    root: "Root"
    refused: str = ""  # why it cannot be read at all (unsafe path...)
    # A file given on its own by the editor: the real folder it sits in, from
    # which its relative links and images are followed, out of its folder too.
    home: Path | None = None

    @property
    def extension(self):
        return PurePosixPath(self.relpath).suffix.lower()

    def read(self):
        if self.refused:
            raise ImportFailure(self.refused)
        return self.root.read(self.relpath)

    def outside(self, target):
        """For a file given on its own: where a relative link of it leads on
        disk, then where an absolute one could, from the file's folder up to
        a few folders above it (the mirror's root is one of them)."""
        if self.home is None:
            return []
        if not target.startswith("/"):
            return [Path(os.path.normpath(self.home / target))]
        return [folder / target.lstrip("/") for folder in [self.home, *self.home.parents][:4]]

    def read_outside(self, target, limit):
        for path in self.outside(target):
            if path.is_file() and not path.is_symlink():
                with open(path, "rb") as handle:
                    data = handle.read(limit + 1)
                if len(data) > limit:
                    raise ImportFailure(f"the file is larger than {limit // (1024 * 1024)} MB")
                return data
        return None


@dataclass
class Root:
    """A folder or an open zip, from which pages and their images are read."""

    label: str
    folder: Path | None = None
    archive: zipfile.ZipFile | None = None
    names: set = field(default_factory=set)
    # A zip's entry names by batch path, when they differ (a top folder left out).
    entries: dict = field(default_factory=dict)

    def has(self, relpath):
        if self.archive is not None or relpath in self.names:
            return relpath in self.names
        # A folder: the file must really be inside it, not reached through a link.
        full = self.folder / relpath
        try:
            inside = full.resolve().is_relative_to(self.folder.resolve())
        except OSError:
            return False
        return inside and full.is_file() and not full.is_symlink()

    def read(self, relpath, limit=None):
        limit = limit or detect.MAX_SOURCE_BYTES
        if not self.has(relpath):
            raise ImportFailure(f"{relpath} is not in the batch")
        if self.archive is not None:
            with self.archive.open(self.entries.get(relpath, relpath)) as entry:
                data = entry.read(limit + 1)
        else:
            with open(self.folder / relpath, "rb") as handle:
                data = handle.read(limit + 1)
        if len(data) > limit:
            raise ImportFailure(f"the file is larger than {limit // (1024 * 1024)} MB")
        return data

    def close(self):
        if self.archive is not None:
            self.archive.close()


def resolve(relpath, target):
    """The batch path a link from relpath points at, or None when it leaves the batch."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(relpath), target))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined


def collect(path, *, label=None):
    """(Root, [Source]) for one path given by the editor."""
    path = Path(path)
    typed = label is None
    label = label or str(path)
    if path.is_symlink():
        raise ImportFailure(f"{label} is a symbolic link: give the real path")
    if path.is_dir():
        return _folder(path, label)
    if not path.is_file():
        raise ImportFailure(f"{label} does not exist")
    if zipfile.is_zipfile(path):
        return _zip(path, label)
    # The file's folder is where its images are looked for. A path the
    # editor typed is the file's real place, so its links may lead out of
    # that folder; an upload's (given a label) is a temporary copy, and its
    # links must not read what happens to sit beside that copy.
    root = Root(label=str(path.parent), folder=path.parent)
    home = path.parent.resolve() if typed else None
    return root, [Source(relpath=path.name, label=label, root=root, home=home)]


def _folder(path, label):
    root = Root(label=label, folder=path)
    root.names = _folder_names(path)
    sources = []
    for name in sorted(root.names):
        suffix = PurePosixPath(name).suffix.lower()
        if not is_page(name):
            continue
        refused = (
            "a zip inside a folder is not opened: import it by itself" if suffix == ".zip" else ""
        )
        sources.append(
            Source(relpath=name, label=f"{label.rstrip('/')}/{name}", root=root, refused=refused)
        )
    return root, sources


def _folder_names(folder):
    names = set()
    for directory, subdirectories, files in os.walk(folder, followlinks=False):
        relative = Path(directory).relative_to(folder)
        # Hidden folders (.git, .DS_Store's kin) are never part of a site.
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".")]
        for name in files:
            full = Path(directory) / name
            if name.startswith(".") or full.is_symlink() or not full.is_file():
                continue
            names.add((relative / name).as_posix())
    return names


def _zip(path, label):
    try:
        archive = zipfile.ZipFile(path)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFailure(f"{label} is not a readable zip ({error})") from None
    files = [entry for entry in entries if not entry.is_dir()]
    if len(files) > MAX_ZIP_ENTRIES:
        archive.close()
        raise ImportFailure(f"{label} holds more than {MAX_ZIP_ENTRIES} files: refused")
    if sum(entry.file_size for entry in files) > MAX_ZIP_TOTAL_BYTES:
        archive.close()
        raise ImportFailure(
            f"{label} would unpack to more than {MAX_ZIP_TOTAL_BYTES // (1024 * 1024)} MB: refused"
        )
    root = Root(label=label, archive=archive)
    top = _single_top_folder(files)
    sources = []
    for entry in files:
        name = entry.filename
        if top and name.startswith(top):
            name = name[len(top) :]
            root.entries[name] = entry.filename
        problem = _unsafe_entry(entry)
        if (
            not problem
            and entry.compress_size
            and entry.file_size / entry.compress_size > MAX_ZIP_RATIO
        ):
            problem = "compressed suspiciously well (a zip bomb?): refused"
        if problem:
            sources.append(
                Source(relpath=name, label=f"{label}:{name}", root=root, refused=problem)
            )
            continue
        if PurePosixPath(name).name.startswith(".") or entry.filename.startswith("__MACOSX/"):
            continue
        root.names.add(name)
        if is_page(name):
            sources.append(Source(relpath=name, label=f"{label}:{name}", root=root))
    return root, sorted(sources, key=lambda source: source.relpath)


def _single_top_folder(files):
    """ "site/" when every entry is under that one folder, as in a zip made by
    Finder's or Explorer's "Compress": the site is what is inside it."""
    tops = set()
    for entry in files:
        name = entry.filename
        if name.startswith("__MACOSX/") or PurePosixPath(name).name.startswith("."):
            continue
        if "/" not in name.strip("/"):
            return ""
        tops.add(name.split("/", 1)[0])
    if len(tops) != 1 or next(iter(tops)) in ("", ".", ".."):
        return ""
    return next(iter(tops)) + "/"


def _unsafe_entry(entry):
    name = entry.filename
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "its path is absolute: refused"
    if ".." in PurePosixPath(name).parts:
        return "its path leads outside the upload: refused"
    if stat.S_ISLNK(entry.external_attr >> 16):
        return "it is a symbolic link: refused"
    return ""
