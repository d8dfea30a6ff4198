"""
A person's life, works and the essays that discuss them, laid out for a
server-drawn SVG (templates/people/_timeline.html) and the list that says the
same in words. Only geometry and plain text here: the template escapes it.
"""

import math
from dataclasses import dataclass, field

from .models import DatePrecision

WIDTH = 640
LEFT = 84  # room for the lane names, at the larger phone text size too
RIGHT = 20
TOP = 30  # room for the birth and death labels
LANE_GAP = 34
# Tick spacings to choose from: the first giving at most MAX_TICKS labels.
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500)
MAX_TICKS = 8


@dataclass
class Event:
    year: int
    kind: str  # "born", "died", "work" or "essay"
    text: str
    url: str = ""
    date: str = ""  # the date as known, for the list: "30 December 1890", "c. 1875"
    place: str = ""
    # Where on the axis: a fraction of the year when the day is known.
    at: float = 0.0


@dataclass
class Mark:
    x: float
    y: float
    r: float
    kind: str
    title: str


@dataclass
class Timeline:
    title: str
    summary: str
    events: list
    marks: list = field(default_factory=list)
    lanes: list = field(default_factory=list)  # [(y, name)]
    ticks: list = field(default_factory=list)  # [(x, label)]
    labels: list = field(default_factory=list)  # [(x, y, anchor, text)]
    life: tuple | None = None  # (x1, x2, y) of the bar from birth to death
    axis_y: float = 0
    width: int = WIDTH
    height: int = 0
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT


def _at(date, precision):
    if precision in (DatePrecision.DAY, DatePrecision.MONTH):
        return date.year + (date.timetuple().tm_yday - 0.5) / 366
    return date.year + 0.5


def events_of(person, *, works=(), essays=()):
    """
    Chronological events: birth, death, `works` (objects with .year, such as
    Work) and `essays` (objects with .published_at).
    """
    events = []
    if person.birth_date:
        events.append(
            Event(person.birth_date.year, "born", "Born", date=person.born,
                  place=person.birth_place, at=_at(person.birth_date, person.birth_precision))
        )  # fmt: skip
    if person.death_date:
        events.append(
            Event(person.death_date.year, "died", "Died", date=person.died,
                  place=person.death_place, at=_at(person.death_date, person.death_precision))
        )  # fmt: skip
    for work in works:
        if work.year:
            events.append(
                Event(work.year, "work", work.title, work.get_absolute_url(), at=work.year + 0.5)
            )
    for essay in essays:
        day = essay.published_at
        events.append(
            Event(day.year, "essay", essay.title, essay.get_absolute_url(),
                  at=day.year + (day.timetuple().tm_yday - 0.5) / 366)
        )  # fmt: skip
    order = {"born": 0, "work": 1, "essay": 2, "died": 3}
    return sorted(events, key=lambda event: (event.at, order[event.kind], event.text))


def _summary(person, events):
    parts = []
    if person.birth_date:
        parts.append(f"born {person.born}")
    if person.death_date:
        parts.append(f"died {person.died}")
    for kind, one, many in (("work", "work", "works"), ("essay", "essay", "essays")):
        years = [event.year for event in events if event.kind == kind]
        if years:
            span = str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
            noun = one if len(years) == 1 else many
            what = "discussed in" if kind == "essay" else "wrote"
            parts.append(f"{what} {len(years)} {noun} ({span})")
    return f"{person.name}: " + "; ".join(parts) + "."


def build(person, *, works=(), essays=()):
    """The Timeline of `person`, or None when neither birth nor death is known."""
    if not person.birth_date and not person.death_date:
        return None
    events = events_of(person, works=works, essays=essays)
    timeline = Timeline(
        title=f"Timeline of {person.name}", summary=_summary(person, events), events=events
    )

    # The axis runs from the first event to the last, a little padded, with
    # ticks on round years inside it.
    first, last = math.floor(events[0].at), math.ceil(events[-1].at)
    step = next((s for s in STEPS if (last - first) / s <= MAX_TICKS), STEPS[-1])
    pad = max((last - first) * 0.03, 1)
    start, end = first - pad, last + pad
    span = timeline.plot_right - timeline.plot_left

    def x(at):
        return round(timeline.plot_left + (at - start) / (end - start) * span, 1)

    lanes = [("life", "Life")]
    lanes += [(kind, name) for kind, name in (("work", "Works"), ("essay", "Essays"))
              if any(event.kind == kind for event in events)]  # fmt: skip
    lane_y = {kind: TOP + 10 + number * LANE_GAP for number, (kind, _) in enumerate(lanes)}
    timeline.lanes = [(lane_y[kind], name) for kind, name in lanes]
    timeline.axis_y = lane_y[lanes[-1][0]] + LANE_GAP - 8
    timeline.height = timeline.axis_y + 34
    first_tick = math.ceil(start / step) * step
    timeline.ticks = [(x(year), str(year)) for year in range(first_tick, math.floor(end) + 1, step)]

    life_y = lane_y["life"]
    born = next((event for event in events if event.kind == "born"), None)
    died = next((event for event in events if event.kind == "died"), None)
    if born and died:
        timeline.life = (x(born.at), x(died.at), life_y)
    for event, anchor, prefix, precision in (
        (born, "start", "b.", person.birth_precision),
        (died, "end", "d.", person.death_precision),
    ):
        if event:
            title = f"{event.text} {event.date}"
            timeline.marks.append(Mark(x(event.at), life_y, 5, event.kind, title))
            circa = "c. " if precision == DatePrecision.CIRCA else ""
            timeline.labels.append((x(event.at), TOP - 8, anchor, f"{prefix} {circa}{event.year}"))
    if born and died and x(died.at) - x(born.at) < 170:
        # Too close for two labels side by side: one label for both.
        timeline.labels = [(x(born.at), TOP - 8, "start", f"{born.year}–{died.year}")]

    # One mark per lane and year, bigger for a busy year; its title names them all.
    for kind in ("work", "essay"):
        by_year = {}
        for event in events:
            if event.kind == kind:
                by_year.setdefault(event.year, []).append(event)
        for year, same in by_year.items():
            at = sum(event.at for event in same) / len(same)
            title = f"{year}: " + "; ".join(event.text for event in same)
            timeline.marks.append(Mark(x(at), lane_y[kind], 4 + min(len(same) - 1, 4), kind, title))
    return timeline
