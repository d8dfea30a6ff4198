from dataclasses import dataclass, field


class _SilentBar:
    def update(self, n=1):
        pass

    def close(self):
        pass


def silent(description, total):
    """The default progress: none. Commands pass a function returning a tqdm bar."""
    return _SilentBar()


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    media_files: int = 0
    media_bytes: int = 0
    # Fields of this site's models that could not be written (a relation to a
    # model without a natural key) and fields of the archive this site lacks.
    skipped_fields: list = field(default_factory=list)
    ignored_fields: list = field(default_factory=list)
    skipped_kinds: list = field(default_factory=list)
    manifest: dict = field(default_factory=dict)

    def lines(self):
        lines = [f"{count:>7}  {name.replace('_', ' ')}" for name, count in self.counts.items()]
        lines.append(f"{self.media_files:>7}  media files ({self.media_bytes} bytes)")
        for label, names in (
            ("Not exported (no natural key)", self.skipped_fields),
            ("Fields this site does not have, ignored", self.ignored_fields),
            ("Kinds this site does not have, ignored", self.skipped_kinds),
        ):
            if names:
                lines.append(f"{label}: {', '.join(sorted(set(names)))}")
        return lines
