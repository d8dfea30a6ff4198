"""
The zip file: a manifest, one JSON file per kind, and the media files under
media/. Reading checks the whole archive before anything is loaded, and never
trusts the sizes or names it declares. Media files are read from and written
to Django's default storage, so a bucket's files travel like a folder's.
"""

import json
import os
import posixpath
import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

FORMAT = "sergesite-export"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
# Folders the import stages media in while it runs; never exported.
STAGING_PREFIX = ".import-"

# Caps against a zip bomb or a hostile archive. A whole site with its images
# is far below them; an archive above them is refused before it is unpacked.
MAX_ENTRIES = 100_000
MAX_TOTAL_BYTES = 8 * 1024**3
MAX_DATA_FILE_BYTES = 512 * 1024**2
# Text compresses perhaps 10:1 and images hardly at all; 200:1 is a bomb.
MAX_RATIO = 200
RATIO_CHECKED_ABOVE = 1024**2
CHUNK = 1024**2


class ArchiveError(Exception):
    """The archive cannot be imported; the message says why, for a person."""


class MediaError(Exception):
    """The records were imported, but media files could not all be stored."""


class ArchiveWriter:
    def __init__(self, file):
        self.zip = zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED)
        self.counts = {}
        self.kinds = []
        self.media_files = 0
        self.media_bytes = 0

    def write_kind(self, name, rows):
        self.kinds.append(name)
        self.counts[name] = len(rows)
        text = json.dumps(rows, ensure_ascii=False, indent=1)
        self.zip.writestr(f"{name}.json", text)

    def media(self, storage):
        """The names of the files in storage to export, in a stable order."""
        names, folders = [], [""]
        while folders:
            folder = folders.pop()
            try:
                dirnames, filenames = storage.listdir(folder)
            except FileNotFoundError:
                continue  # no upload yet, so no media folder
            for dirname in dirnames:
                name = posixpath.join(folder, dirname)
                staging = dirname.startswith(STAGING_PREFIX)
                if not staging and _is_plain(storage, name, stat.S_ISDIR):
                    folders.append(name)
            for filename in filenames:
                name = posixpath.join(folder, filename)
                if _is_plain(storage, name, stat.S_ISREG):
                    names.append(name)
        return sorted(names)

    def write_media(self, storage, name):
        # zipfile must be told before the first byte whether an entry may
        # pass 2 GiB; the test is zipfile's own, which allows for growth.
        large = storage.size(name) * 1.05 > zipfile.ZIP64_LIMIT
        written = 0
        with (
            storage.open(name, "rb") as source,
            self.zip.open(MEDIA_PREFIX + name, "w", force_zip64=large) as target,
        ):
            for chunk in source.chunks(CHUNK):
                target.write(chunk)
                written += len(chunk)
        self.media_files += 1
        self.media_bytes += written

    def close(self):
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "kinds": self.kinds,
            "counts": self.counts,
            "media": {"files": self.media_files, "bytes": self.media_bytes},
        }
        self.zip.writestr(MANIFEST, json.dumps(manifest, indent=1))
        self.zip.close()
        return manifest


def _is_plain(storage, name, test):
    # On local disk a symbolic link could bring any file of the server into
    # the export; no upload makes one, nor a socket or the like. Other
    # storages (a bucket) hold only files and the folders in their names.
    if not isinstance(storage, FileSystemStorage):
        return True
    try:
        return test(os.lstat(storage.path(name)).st_mode)
    except OSError:
        return False


def safe_member_path(name):
    """The parts of a media path inside the archive, or ArchiveError if it could escape."""
    if "\\" in name or "\x00" in name or name.startswith("/"):
        raise ArchiveError(f"The archive holds an unsafe path: {name!r}.")
    parts = PurePosixPath(name).parts
    if not parts or any(part in ("..", ".") for part in parts) or ":" in parts[0]:
        raise ArchiveError(f"The archive holds an unsafe path: {name!r}.")
    return parts


class ArchiveReader:
    def __init__(self, file):
        try:
            self.zip = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError) as error:
            raise ArchiveError(f"This is not a zip archive that can be read ({error}).") from None
        try:
            self._check_entries()
            self.manifest = self._read_manifest()
        except BaseException:
            self.zip.close()
            raise

    def close(self):
        self.zip.close()

    def _check_entries(self):
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ArchiveError(f"The archive holds {len(infos)} files; at most {MAX_ENTRIES}.")
        names, total = set(), 0
        self.media_infos = []
        for info in infos:
            safe_member_path(info.filename)
            if info.filename in names:
                raise ArchiveError(f"The archive holds {info.filename!r} twice.")
            names.add(info.filename)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ArchiveError(f"The archive holds a symbolic link: {info.filename!r}.")
            if info.is_dir():
                continue
            total += info.file_size
            if info.file_size > RATIO_CHECKED_ABOVE and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise ArchiveError(
                    f"{info.filename!r} would expand {info.file_size // max(info.compress_size, 1)}"
                    " times: refused as a likely zip bomb."
                )
            if info.filename.startswith(MEDIA_PREFIX):
                self.media_infos.append(info)
            elif "/" in info.filename:
                raise ArchiveError(f"Unexpected file in the archive: {info.filename!r}.")
        if total > MAX_TOTAL_BYTES:
            raise ArchiveError(
                f"The archive would unpack to {total} bytes; at most {MAX_TOTAL_BYTES}."
            )
        self.names = names

    def _read_manifest(self):
        if MANIFEST not in self.names:
            raise ArchiveError("The archive has no manifest.json: it is not a site export.")
        try:
            manifest = json.loads(self.read(MANIFEST))
        except ValueError:
            raise ArchiveError("manifest.json is not valid JSON.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError("manifest.json does not describe a sergesite export.")
        if manifest.get("version") != VERSION:
            raise ArchiveError(
                f"The archive is in format version {manifest.get('version')!r}; "
                f"this site reads version {VERSION}."
            )
        kinds, counts = manifest.get("kinds"), manifest.get("counts")
        if not isinstance(kinds, list) or not isinstance(counts, dict):
            raise ArchiveError("manifest.json lists no kinds or counts.")
        missing = [f"{name}.json" for name in kinds if f"{name}.json" not in self.names]
        if missing:
            raise ArchiveError(f"The archive is missing {', '.join(missing)}.")
        expected = {MANIFEST, *(f"{name}.json" for name in kinds)}
        extra = sorted(
            name
            for name in self.names - expected
            if not name.startswith(MEDIA_PREFIX) and not name.endswith("/")
        )
        if extra:
            raise ArchiveError(f"Unexpected files in the archive: {', '.join(extra)}.")
        media = manifest.get("media") if isinstance(manifest.get("media"), dict) else {}
        if media.get("files", 0) != len(self.media_infos):
            raise ArchiveError(
                f"The manifest lists {media.get('files', 0)} media files; "
                f"the archive holds {len(self.media_infos)}."
            )
        return manifest

    def _open_limited(self, info, limit):
        # The declared size may lie: count what really comes out.
        if info.file_size > limit:
            raise ArchiveError(f"{info.filename!r} is larger than the {limit} bytes allowed.")
        read = 0
        try:
            with self.zip.open(info) as source:
                while chunk := source.read(CHUNK):
                    read += len(chunk)
                    if read > min(limit, info.file_size):
                        raise ArchiveError(f"{info.filename!r} is larger than it says.")
                    yield chunk
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
            raise ArchiveError(f"{info.filename!r} cannot be read: {error}.") from None
        except RuntimeError as error:  # an encrypted entry
            raise ArchiveError(f"{info.filename!r} cannot be read: {error}.") from None

    def read(self, name):
        return b"".join(self._open_limited(self.zip.getinfo(name), MAX_DATA_FILE_BYTES))

    def rows(self, name):
        """The rows of one kind, checked to be a list of objects of the declared count."""
        try:
            rows = json.loads(self.read(f"{name}.json"))
        except ValueError as error:
            raise ArchiveError(f"{name}.json is not valid JSON ({error}).") from None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ArchiveError(f"{name}.json should hold a list of records.")
        if len(rows) != self.manifest["counts"].get(name):
            raise ArchiveError(
                f"{name}.json holds {len(rows)} records; the manifest says "
                f"{self.manifest['counts'].get(name)}."
            )
        return rows

    def extract_media(self, destination, progress):
        """Unpack media/ into destination, a fresh folder; returns the bytes written."""
        written = 0
        destination = Path(destination)
        for info in self.media_infos:
            parts = safe_member_path(info.filename)[1:]
            if info.is_dir() or not parts:
                continue
            target = destination.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                for chunk in self._open_limited(info, MAX_TOTAL_BYTES):
                    written += len(chunk)
                    if written > MAX_TOTAL_BYTES:
                        raise ArchiveError("The media files are larger than allowed.")
                    out.write(chunk)
            progress.update(1)
        return written


class _StagedFile(File):
    # An unpacked file on disk is, for a storage, like a large upload:
    # FileSystemStorage moves it into place instead of copying it, and
    # other storages read it as usual.
    def temporary_file_path(self):
        return self.name


def store_media(staging, storage, progress):
    """Save the unpacked files into storage under their own names, replacing files of that name."""
    staging = Path(staging)
    paths = sorted(path for path in staging.rglob("*") if path.is_file())
    bar = progress("media files (storing)", len(paths))
    renamed = []
    for done, path in enumerate(paths):
        name = path.relative_to(staging).as_posix()
        try:
            storage.delete(name)
            with open(path, "rb") as file:
                stored = storage.save(name, _StagedFile(file))
        except Exception as error:
            raise MediaError(
                f"The records were imported, but {name} could not be stored ({error}); "
                f"{done} of {len(paths)} media files were. Import the archive again "
                "with --replace to store them all."
            ) from error
        if stored != name:
            # Pages link the file by its name in the records: a copy under
            # another name is of no use, and would be left over.
            storage.delete(stored)
            renamed.append(f"{name} (stored as {stored})")
        bar.update(1)
    bar.close()
    if renamed:
        raise MediaError(
            "The records were imported, but the storage would not keep these media "
            f"files under their own names, so they are missing: {', '.join(renamed)}."
        )
