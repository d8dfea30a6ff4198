"""What the benchmark scripts share: a fresh database per run, the generated
corpus (search_bench.py, import_bench.py and pages.py all measure the same
invented archive), and writing a section of docs/PERFORMANCE.md. Each script
runs as `python bench/<name>.py`, so this module is imported as `common`."""

import random
import signal
import socket
import subprocess
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PERFORMANCE = ROOT / "docs" / "PERFORMANCE.md"


def fresh_database(kind, *, sqlite_path, postgres_url):
    """An empty database of that kind, dropped and created again; returns its DATABASE_URL."""
    if kind == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{sqlite_path}"
    import psycopg

    server, name = postgres_url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url


def write_section(title, text):
    """
    Replace the section headed `title` (a "## ..." line) in docs/PERFORMANCE.md
    with text, or append it. Prose below a `<!-- notes -->` marker inside the
    old section is kept: the table is generated, the explanation is written.
    """
    document = PERFORMANCE.read_text()
    start = document.find(title + "\n")
    if start == -1:
        document = document.rstrip("\n") + "\n\n" + text
    else:
        end = document.find("\n## ", start + len(title))
        tail = document[end:] if end != -1 else ""
        existing = document[start : end if end != -1 else len(document)]
        notes = existing.split("<!-- notes -->", 1)
        kept = "\n<!-- notes -->" + notes[1].rstrip("\n") + "\n" if len(notes) == 2 else ""
        document = document[:start] + text + kept + tail
    PERFORMANCE.write_text(document)


def archive(revision, into):
    """The files of a revision, without touching this checkout or its git state."""
    with tempfile.TemporaryFile() as tar:
        subprocess.run(["git", "archive", revision], cwd=ROOT, stdout=tar, check=True)
        tar.seek(0)
        with tarfile.open(fileobj=tar) as files:
            files.extractall(into, filter="data")


# --- The generated corpus ----------------------------------------------------

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


# Names whose family name comes first, filed as they are written.
FAMILY_NAME_FIRST = {"Mao Zedong"}


def filed(person):
    """
    The person with a sort name as an editor gives it ("Trotsky, Leon"), and
    the filing key and letter save() derives from it: bulk_create() skips
    save(), and the A–Z list reads these columns.
    """
    from people.models import filing_initial, filing_key

    *given, family = person.name.split()
    if person.name in FAMILY_NAME_FIRST or not given:
        person.sort_name = person.name
    else:
        person.sort_name = f"{family}, {' '.join(given)}"
    person.sort_key = filing_key(person.sort_name)
    person.sort_initial = filing_initial(person.sort_name)
    return person


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
        people.append(filed(Person(name=name, slug=slugify(name))))
        others.append(other_names)
    for number in range(size - len(people)):
        name = person_name(rng)
        people.append(
            filed(
                Person(
                    name=name,
                    slug=f"person-{number}",
                    description=rng.choice(TOPICS.get("party").split()),
                )
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


# --- The servers the page and start-up benchmarks start ------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_pids(pid):
    """The processes whose parent is pid: a gunicorn arbiter's workers."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def stop_process(process):
    """SIGTERM, then SIGKILL after 30 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
