"""What an import did to each file, for the command's output and the admin page."""

import re
from dataclasses import dataclass, field

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
SKIPPED = "skipped"
FAILED = "failed"
OUTCOMES = [CREATED, UPDATED, UNCHANGED, SKIPPED, FAILED]


@dataclass
class FileReport:
    label: str
    outcome: str = FAILED
    reason: str = ""  # why it was skipped or failed
    format: str = ""
    title: str = ""
    slug: str = ""
    url: str = ""
    section: str = ""
    status: str = ""
    counts: dict = field(default_factory=dict)
    old_urls: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    preview_html: str = ""  # the renderer's sanitized output, kept for the admin's preview

    def line(self):
        head = f"{self.outcome:<9} {self.label}"
        if self.title:
            head += f' -> "{self.title}"'
        if self.url:
            head += f" {self.url}"
        if self.counts:
            head += f" ({describe_counts(self.counts)})"
        if self.reason:
            head += f": {self.reason}"
        return head


def describe_counts(counts):
    return ", ".join(f"{number} {_plural(name, number)}" for name, number in counts.items())


def _plural(name, number):
    if number == 1:
        return {"quotations": "quotation", "footnotes": "footnote", "images": "image"}.get(
            name, name[:-1]
        )
    return name


def count_parts(body_html):
    return {
        "headings": len(re.findall(r"<h[2-6][\s>]", body_html)),
        "quotations": body_html.count("<blockquote"),
        "footnotes": len(re.findall(r'<li id="fn:', body_html)),
        "images": body_html.count("<img "),
    }


def summary_line(reports, *, dry_run=False):
    tally = {outcome: 0 for outcome in OUTCOMES}
    for report in reports:
        tally[report.outcome] += 1
    parts = ", ".join(f"{number} {outcome}" for outcome, number in tally.items())
    files = "file" if len(reports) == 1 else "files"
    prefix = "Dry run, nothing written: " if dry_run else ""
    return f"{prefix}{len(reports)} {files}: {parts}."
