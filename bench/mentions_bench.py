"""
Mention detection benchmark. One command:

    .venv/bin/python bench/mentions_bench.py                   # 10,000 names, 1,000 essays
    .venv/bin/python bench/mentions_bench.py --essays 10000    # the full rescan target

Times, with medians: building the matcher for --names names and titles;
detecting in one 5,000-word essay (the matcher alone, and the whole scan of
its HTML); and `rescan_mentions` over --essays essays of 5,000 words in a
fresh SQLite database (var/bench_mentions.sqlite3). Names are invented from
a fixed seed. Not a test: it measures, it does not assert.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from common import fresh_database

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench_mentions.sqlite3"
SYLLABLES = str.split(
    "ka ro vi len tro sky ber na mi lo tav gor un es pol dim ser ge an ko vel mar"
)
FILLER = str.split(
    "the of and to in a was that for it with as his on by had party workers state "
    "revolution exile letter wrote against years movement opposition novel history"
)


def invented(rng, syllables):
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def names(count, rng):
    """(given, family) pairs for people and titles for works: 70% people, 30% works."""
    people = [(invented(rng, 2), invented(rng, 4)) for _ in range(count * 7 // 10)]
    titles = []
    for index in range(count - len(people)):
        if index % 5 == 0:
            titles.append(invented(rng, 3))  # a one-word title: weak
        else:
            titles.append(f"The {invented(rng, 2)} of {invented(rng, 3)}")
    return people, titles


def essay_body(rng, people, titles, words=5000, mentions=150):
    text = [rng.choice(FILLER) for _ in range(words)]
    for _ in range(mentions):
        given, family = rng.choice(people)
        text[rng.randrange(words)] = rng.choice([f"{given} {family}", family, f"{family}'s"])
    for _ in range(mentions // 10):
        text[rng.randrange(words)] = f"*{rng.choice(titles)}*"
    paragraphs = [" ".join(text[i : i + 120]) + "." for i in range(0, words, 120)]
    sections = ["\n\n".join(paragraphs[i : i + 8]) for i in range(0, len(paragraphs), 8)]
    return "\n\n".join(f"## Part {n}\n\n{s}" for n, s in enumerate(sections, 1))


def median_ms(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--essays", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = fresh_database("sqlite", sqlite_path=SQLITE_PATH, postgres_url="")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sergesite.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from essays import mentions
    from essays.models import Essay, Section
    from people.models import Person
    from sergesite import mentions as detector
    from sergesite.markup import render
    from works.models import Work

    rng = random.Random(1917)
    people, titles = names(args.names, rng)
    targets = [
        detector.Target(
            ("person", i),
            (detector.Name(f"{g} {f}"), detector.Name(f, detector.SHORT)),
        )
        for i, (g, f) in enumerate(people)
    ] + [
        detector.Target(
            ("work", i),
            (detector.Name(t, detector.WEAK if detector.is_common_title(t) else detector.FULL),),
        )
        for i, t in enumerate(titles)
    ]
    body = essay_body(rng, people, titles)
    built = []
    build = median_ms(lambda: built.append(detector.Matcher(targets)), 5)
    matcher = built[-1]
    html = render(body, anchors=True).html
    text = mentions.mention_links.essay_text(html)
    found = matcher.find(text.text, emphasis=text.emphasis)
    find = median_ms(lambda: matcher.find(text.text, emphasis=text.emphasis), args.repeat)
    walk = median_ms(lambda: mentions.mention_links.essay_text(html), args.repeat)
    detect = median_ms(lambda: mentions.detect(html, using=matcher), args.repeat)
    print(f"names and titles: {len(targets):,} ({matcher.size:,} distinct forms)")
    print(f"essay: {len(body.split()):,} words, {len(found)} mentions found")
    print(f"build matcher: median {build:.0f} ms")
    print(f"find in one essay (matcher alone): median {find:.1f} ms")
    print(f"read the essay's HTML (essay_text): median {walk:.1f} ms")
    print(f"detect in one essay (HTML to mentions with context): median {detect:.1f} ms")

    call_command("migrate", verbosity=0)
    Person.objects.bulk_create(
        Person(name=f"{g} {f}", sort_name=f"{f}, {g}", slug=f"p{i}")
        for i, (g, f) in enumerate(people)
    )
    Work.objects.bulk_create(Work(title=t, slug=f"w{i}") for i, t in enumerate(titles))
    section = Section.objects.create(title="Bench", slug="bench")
    bodies = [essay_body(rng, people, titles) for _ in range(20)]
    rendered = [render(b, anchors=True).html for b in bodies]
    for start in range(0, args.essays, 500):
        Essay.objects.bulk_create(
            Essay(
                title=f"Essay {n}",
                slug=f"e{n}",
                section=section,
                body=bodies[n % 20],
                body_html=rendered[n % 20],
            )
            for n in range(start, min(start + 500, args.essays))
        )
    mentions.matcher(fresh=True)
    for label in ("first scan, every mention new", "rescan, nothing changed"):
        rescan_start = time.perf_counter()
        call_command("rescan_mentions", quiet=True)
        seconds = time.perf_counter() - rescan_start
        print(
            f"rescan_mentions ({label}), {args.essays:,} essays on SQLite: {seconds:.0f} s "
            f"({seconds / args.essays * 1000:.0f} ms per essay)"
        )


if __name__ == "__main__":
    main()
