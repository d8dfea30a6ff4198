"""
Importing redirects from a CSV file of `old,new` rows, for the command
`import_redirects` and the upload page of the Redirect admin.

Each row stands alone: a bad row is reported and skipped, the others are
stored. The file is authoritative, so an old address that already leads
elsewhere is re-pointed (and reported as changed).
"""

import csv
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from sergesite.redirects import add_redirect

HEADER = ("old", "new")


@dataclass
class Line:
    number: int
    outcome: str  # "created", "changed", "unchanged", "skipped" or "bad"
    old: str = ""
    new: str = ""
    problem: str = ""

    def __str__(self):
        if self.outcome == "bad":
            return f"line {self.number}: {self.problem}"
        return f"line {self.number}: {self.old} -> {self.new} {self.outcome}"


@dataclass
class Report:
    lines: list = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def add(self, line):
        self.lines.append(line)
        self.counts[line.outcome] += 1

    @property
    def bad(self):
        return [line for line in self.lines if line.outcome == "bad"]

    def summary(self):
        parts = [
            f"{self.counts[outcome]} {outcome}"
            for outcome in ("created", "changed", "unchanged")
            if self.counts[outcome]
        ]
        if self.counts["bad"]:
            parts.append(
                f"{self.counts['bad']} bad {'line' if self.counts['bad'] == 1 else 'lines'}"
            )
        return ", ".join(parts) + "." if parts else "The file has no redirects."


def import_lines(text_lines, *, on_line=None):
    """
    Store the redirects in text_lines (an iterable of str, such as an open
    text file). on_line(Line) is called after each row: the caller's
    progress and per-line report.
    """
    report = Report()
    for number, row in enumerate(csv.reader(text_lines), start=1):
        line = _import_row(number, row)
        if line is None:
            continue
        report.add(line)
        if on_line is not None:
            on_line(line)
    return report


def _import_row(number, row):
    cells = [cell.strip() for cell in row]
    if not any(cells) or cells[0].startswith("#"):
        return None
    if number == 1 and tuple(cell.lower() for cell in cells) == HEADER:
        return None
    if len(cells) != 2:
        return Line(number, "bad", problem=f"expected 2 columns (old,new), found {len(cells)}.")
    old, new = cells
    try:
        redirect, outcome = add_redirect(old, new, replace=True)
    except ValidationError as error:
        return Line(number, "bad", old=old, new=new, problem=" ".join(error.messages))
    return Line(number, outcome, old=redirect.old_path, new=redirect.new_path)
