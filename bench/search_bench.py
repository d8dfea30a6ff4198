"""
Search benchmark: generate a corpus, import it, build the index, time a fixed
mix of queries. One command:

    .venv/bin/python bench/search_bench.py                  # 1k and 10k, SQLite and PostgreSQL
    .venv/bin/python bench/search_bench.py --sizes 100000   # on request
    .venv/bin/python bench/search_bench.py --databases sqlite --sizes 1000

Each (database, size) runs in its own process against a throwaway database:
SQLite in var/bench_search.sqlite3, PostgreSQL in sergesite_bench_search
(dropped and created again). Not a test: it measures, it does not assert.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import fresh_database

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench_search.sqlite3"
PG_URL = "postgres://postgres@127.0.0.1:5432/sergesite_bench_search"
WORDS_PER_ESSAY = 5000
BATCH = 250

# Ten topics with their own vocabulary, so that a word is common in some
# essays and absent from most, as on a real site. Variants of each stem
# (-s, -ed, -ing, -ation...) give the stemmer something to do.
TOPICS = {
    "revolution": "soviet bolshevik petrograd insurrection commissar barricade uprising "
    "kronstadt sailor regiment cheka decree committee tsar provisional duma menshevik",
    "labour": "strike union wage factory docker miner picket shift foreman employer "
    "syndicalist federation steward ballot lockout overtime apprentice",
    "prison": "cell warder sentence convict exile siberia deportation camp interrogation "
    "tribunal verdict solitary parole isolator gaol confession",
    "literature": "novel poem chapter manuscript translation publisher narrator reader "
    "verse edition preface stanza critic journal literary fiction",
    "philosophy": "dialectic materialism consciousness praxis alienation ideology reason "
    "ethic idealism subject object totality reification abstraction",
    "economics": "capital market price profit credit bank finance commodity surplus "
    "accumulation monopoly currency inflation planning output rent",
    "war": "front army trench offensive artillery general retreat siege battalion "
    "armistice mobilisation soldier cavalry frontier occupation",
    "exile": "refugee passport visa consulate ship harbour emigre border asylum "
    "mexico marseille paris brussels ocean voyage",
    "party": "congress faction opposition purge bureaucracy secretary resolution "
    "platform delegate caucus expulsion plenum cell membership",
    "family": "mother father son daughter marriage household letter cousin childhood "
    "grandmother inheritance funeral wedding orphan",
}
SUFFIXES = ["", "", "", "s", "ed", "ing", "ation", "ism", "ist", "al"]
# Word lists are written as strings: shorter to read than a list literal.
COMMON = (  # noqa: SIM905
    "the of and to in a is that was he for it with as his on be at by had this not "
    "but from or have an they which one were all we her she there would their been "
    "has when who will more no if out so said what up its about into than them can "
    "only other new some could time these two may then do first any my now such like "
    "our over man me even most made after also did many before must through back "
    "years where much your way well down should because each just those people how "
    "too little state good very make world still own see men work long get here "
    "between both life being under never day same another know while last might us "
    "great old year off come since against go came right used take three revolution "
    "workers party power history political socialist movement struggle class"
).split()
SYLLABLES = "ka lo mi ne ru sa ti vo ze ba de fi go hu jo ku la mo nu pe ri so tu va wi".split()  # noqa: SIM905
FIRST_NAMES = (  # noqa: SIM905
    "Anna Boris Clara Dmitri Elena Fyodor Galina Ivan Karl Lydia Maria Nikolai Olga "
    "Pavel Rosa Sergei Tatiana Viktor Yuri Zofia Emile Louise Henri Jeanne Otto Greta"
).split()
SURNAME_PARTS = "Vol Kras Bel Cher Dob Grom Lev Mar Nov Orl Pet Rod Sok Tur Zel Ham Kor".split()  # noqa: SIM905
SURNAME_ENDS = "ov ova sky ski enko in ina berg stein mann ich vich yev iev".split()  # noqa: SIM905
SECTIONS = ["Research", "Biography", "Socialist history", "Journalism", "Books", "Migration"]
TAGS = [f"{topic}-{n}" for topic in TOPICS for n in range(3)]
FACT_PEOPLE = [
    ("Victor Serge", ["Viktor Lvovich Kibalchich", "Kibaltchiche"]),
    ("Leon Trotsky", ["Lev Davidovich Bronstein", "Trotski", "Trotzki"]),
    ("George Orwell", ["Eric Arthur Blair"]),
    ("Grigory Zinoviev", ["Zinovyev"]),
    ("Mao Zedong", ["Mao Tse-tung"]),
]

# At least 20 queries, grouped by what they exercise. Rare words are chosen
# from the generated long tail at run time (see rare_words()).
QUERIES = {
    "common word": [("revolution", {}), ("workers", {}), ("history", {})],
    "two words": [("soviet sailor", {}), ("strike wage", {}), ("novel translation", {})],
    "phrase": [('"political struggle"', {}), ('"the party"', {}), ('"workers movement"', {})],
    "other name": [("Kibalchich", {}), ("Bronstein", {}), ("Eric Blair", {})],
    "misspelled name": [("Trotzky", {}), ("Zinovyev", {}), ("Kibalchitch", {})],
    "facet filter": [
        ("revolution", {"kind": "essay", "section": "research"}),
        ("strike", {"decade": 2000}),
        ("exile", {"tag": "exile-1"}),
    ],
    "no match": [("xqzvwkj", {}), ("zzqq yyvv", {}), ("Trotsky-Kibalchich-Qwzx", {})],
}
NAME_QUERIES = ["Trots", "Kibal", "Zinov", "Orwell", "Volkov", "Kraseva", "Belstein", "Tse-tung"]


def make_rng(seed):
    return random.Random(seed)


def rare_vocabulary(rng, size=40_000):
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))))
    return sorted(words)


class Corpus:
    def __init__(self, seed=1):
        rng = make_rng(seed)
        self.rare = rare_vocabulary(rng)
        self.topics = {
            name: [stem + suffix for stem in words.split() for suffix in SUFFIXES]
            for name, words in TOPICS.items()
        }
        # Zipf weights: a few words everywhere, a long tail almost nowhere.
        self.common_weights = list(_cumulative([1 / (i + 1) for i in range(len(COMMON))]))
        self.rare_weights = list(_cumulative([1 / (i + 1) ** 1.1 for i in range(len(self.rare))]))

    def essay_text(self, rng, topic, second):
        picks = rng.choices(
            ["common", "topic", "second", "rare"], weights=[55, 28, 9, 8], k=WORDS_PER_ESSAY
        )
        counts = {kind: picks.count(kind) for kind in ("common", "topic", "second", "rare")}
        pools = {
            "common": iter(
                rng.choices(COMMON, cum_weights=self.common_weights, k=counts["common"])
            ),
            "topic": iter(rng.choices(self.topics[topic], k=counts["topic"])),
            "second": iter(rng.choices(self.topics[second], k=counts["second"])),
            "rare": iter(rng.choices(self.rare, cum_weights=self.rare_weights, k=counts["rare"])),
        }
        words = [next(pools[kind]) for kind in picks]
        paragraphs, position = [], 0
        while position < len(words):
            sentences = []
            for _ in range(rng.randint(4, 8)):
                length = rng.randint(8, 22)
                sentence = words[position : position + length]
                position += length
                if sentence:
                    sentences.append(" ".join(sentence).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        return paragraphs


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def person_name(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_PARTS)}{rng.choice(SURNAME_ENDS)}"


def variant(name):
    for old, new in (("v", "w"), ("y", "i"), ("ks", "x"), ("sky", "ski"), ("ch", "tch")):
        if old in name:
            return name.replace(old, new, 1)
    return name + "e"


def import_corpus(size, seed=1):
    import datetime

    from django.utils import timezone
    from django.utils.text import slugify
    from taggit.models import Tag, TaggedItem

    from essays.models import Essay, Section
    from people.models import OtherName, Person
    from works.models import Contribution, Work

    rng = make_rng(seed)
    corpus = Corpus(seed)
    sections = [
        Section(title=title, slug=slugify(title), menu_order=i) for i, title in enumerate(SECTIONS)
    ]
    Section.objects.bulk_create(sections)
    sections = list(Section.objects.all())
    tags = Tag.objects.bulk_create([Tag(name=name, slug=name) for name in TAGS])
    tags = list(Tag.objects.all())
    from django.contrib.contenttypes.models import ContentType

    essay_type = ContentType.objects.get_for_model(Essay)
    now = timezone.now()
    start = datetime.datetime(1995, 1, 1, tzinfo=datetime.UTC)
    span = (now - start).total_seconds()
    topic_names = list(TOPICS)
    for first in range(0, size, BATCH):
        essays = []
        for number in range(first, min(first + BATCH, size)):
            topic, second = rng.sample(topic_names, 2)
            paragraphs = corpus.essay_text(rng, topic, second)
            roll = rng.random()
            published_at = start + datetime.timedelta(seconds=rng.random() * span)
            if roll < 0.01:
                published_at = now + datetime.timedelta(days=rng.randint(1, 60))
            essays.append(
                Essay(
                    title=f"{topic.capitalize()} and {second}: {paragraphs[0][:60]}",
                    slug=f"essay-{number}",
                    section=rng.choice(sections),
                    summary=paragraphs[1][:300],
                    body="\n\n".join(paragraphs),
                    body_html="".join(f"<p>{p}</p>" for p in paragraphs),
                    status="draft" if roll > 0.97 else "published",
                    published_at=None if roll > 0.97 else published_at,
                )
            )
        Essay.objects.bulk_create(essays)
        created = Essay.objects.filter(slug__in=[e.slug for e in essays]).values_list("pk", "slug")
        TaggedItem.objects.bulk_create(
            TaggedItem(content_type=essay_type, object_id=pk, tag=tag)
            for pk, slug in created
            for tag in rng.sample(tags, rng.randint(1, 3))
        )

    people, others = [], []
    for name, other_names in FACT_PEOPLE:
        people.append(Person(name=name, sort_name=name, slug=slugify(name)))
        others.append(other_names)
    for number in range(size - len(people)):
        name = person_name(rng)
        people.append(
            Person(
                name=name,
                sort_name=name,
                slug=f"person-{number}",
                description=rng.choice(TOPICS.get("party").split()),
            )
        )
        others.append([variant(name)] if rng.random() < 0.4 else [])
    for first in range(0, len(people), 1000):
        Person.objects.bulk_create(people[first : first + 1000])
    by_slug = dict(Person.objects.values_list("slug", "pk"))
    OtherName.objects.bulk_create(
        (
            OtherName(person_id=by_slug[person.slug], name=other)
            for person, names in zip(people, others, strict=True)
            for other in dict.fromkeys(names)
            if other != person.name
        ),
        batch_size=1000,
    )

    person_ids = list(by_slug.values())
    works = [
        Work(
            title=" ".join(rng.choices(corpus.topics[rng.choice(topic_names)], k=3)).capitalize(),
            slug=f"work-{number}",
            year_published=rng.randint(1880, 2020),
        )
        for number in range(size // 2)
    ]
    Work.objects.bulk_create(works, batch_size=1000)
    Contribution.objects.bulk_create(
        (
            Contribution(work_id=pk, person_id=rng.choice(person_ids))
            for pk in Work.objects.values_list("pk", flat=True)
        ),
        batch_size=1000,
    )
    return corpus


def rare_words(corpus):
    # Words from the far end of the tail: in a handful of essays at most.
    return [corpus.rare[-1], corpus.rare[-5000], corpus.rare[-15000]]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_queries(repeat):
    from search.engines import Filters
    from search.results import search, suggestions

    def run(text, filters):
        started = time.perf_counter()
        results = search(text, filters=Filters(**filters))
        hits = list(results.page) if results.page else []
        return (time.perf_counter() - started) * 1000, results.total, len(hits)

    report = {}
    for kind, queries in QUERIES.items():
        timings, totals = [], []
        for text, filters in queries:
            run(text, filters)  # warm the caches, as a live site's would be
            for _ in range(repeat):
                ms, total, _ = run(text, filters)
                timings.append(ms)
            totals.append(total)
        report[kind] = {
            "p50": statistics.median(timings),
            "p95": percentile(timings, 0.95),
            "hits": totals,
        }
    timings = []
    for text in NAME_QUERIES:
        suggestions(text)
        for _ in range(repeat):
            started = time.perf_counter()
            suggestions(text)
            timings.append((time.perf_counter() - started) * 1000)
    report["name lookup (suggest)"] = {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "hits": [],
    }
    return report


def worker(database, size, repeat):
    os.environ["DATABASE_URL"] = fresh_database(
        database, sqlite_path=SQLITE_PATH, postgres_url=PG_URL
    )
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sergesite.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from search import index
    from search.models import Document

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    corpus = import_corpus(size)
    import_seconds = time.perf_counter() - started

    started = time.perf_counter()
    index.rebuild()
    build_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum or a nightly job would leave them.
        cursor.execute("ANALYZE")
    QUERIES["rare word"] = [(word, {}) for word in rare_words(corpus)]
    report = time_queries(repeat)
    all_p95 = [v["p95"] for v in report.values()]
    return {
        "database": database,
        "size": size,
        "documents": Document.objects.count(),
        "import_s": import_seconds,
        "index_build_s": build_seconds,
        "queries": report,
        "worst_p95": max(all_p95),
        # Other work on the machine inflates every figure: say how busy it was.
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }


def render(results):
    lines = []
    for result in results:
        lines.append(
            f"\n### {result['database']}, {result['size']:,} essays "
            f"({result['documents']:,} documents)\n"
        )
        lines.append(
            f"Import {result['import_s']:.1f} s; index build {result['index_build_s']:.1f} s;"
            f" load average {result['load_average']:.1f} on {result['cpus']} CPUs.\n"
        )
        lines.append("| Query kind | p50 ms | p95 ms | hits per query |")
        lines.append("|---|---:|---:|---|")
        for kind, row in result["queries"].items():
            hits = ", ".join(str(h) for h in row["hits"])
            lines.append(f"| {kind} | {row['p50']:.1f} | {row['p95']:.1f} | {hits} |")
    by_size = {}
    for result in results:
        by_size.setdefault(result["size"], {})[result["database"]] = result
    ratios = []
    for size, pair in sorted(by_size.items()):
        if {"sqlite", "postgres"} <= set(pair):
            for kind in pair["postgres"]["queries"]:
                pg = pair["postgres"]["queries"][kind]["p95"]
                lite = pair["sqlite"]["queries"][kind]["p95"]
                ratios.append(f"| {size:,} | {kind} | {lite / pg:.2f} |")
    if ratios:
        lines.append("\n### SQLite p95 / PostgreSQL p95\n")
        lines.append("| Essays | Query kind | ratio |")
        lines.append("|---:|---|---:|")
        lines += ratios
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--worker", nargs=2, metavar=("DATABASE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        database, size = args.worker
        print(json.dumps(worker(database, int(size), args.repeat)))
        return
    results = []
    for size in args.sizes:
        for database in args.databases:
            print(f"-- {database}, {size:,} essays", file=sys.stderr, flush=True)
            started = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--worker",
                    database,
                    str(size),
                    "--repeat",
                    str(args.repeat),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"   done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(render(results))


if __name__ == "__main__":
    main()
