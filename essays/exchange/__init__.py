"""
A whole site in one zip file and back: export_site() and import_site().
The format is described in docs/EXPORT.md.
"""

from .archive import ArchiveError, MediaError
from .dump import export_site
from .load import import_site

__all__ = ["ArchiveError", "MediaError", "export_site", "import_site"]
