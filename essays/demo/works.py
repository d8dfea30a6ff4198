"""
The works the demo essays discuss. Years follow the reference facts; where
sources disagree, date_note says so rather than picking a winner silently.
A work that is part of, or a translation of, another comes after it.
"""

from works.models import Contribution, Work

AUTHOR = Contribution.Role.AUTHOR
TRANSLATOR = Contribution.Role.TRANSLATOR


def serge(**fields):
    return {"credits": [("victor-serge", AUTHOR)], "original_language": "fr", **fields}


# Each work: title, slug, kind, years, and credits as (person slug, role) in
# the order they are shown. part_of / translation_of name another work's slug.
WORKS = [
    serge(
        title="Memoirs of a Revolutionary",
        slug="memoirs-of-a-revolutionary",
        original_title="Mémoires d'un révolutionnaire",
        kind=Work.Kind.MEMOIR,
        year_written=1942,
        year_written_end=1943,
        year_published=1951,
        year_published_english=1963,
        credits=[("victor-serge", AUTHOR), ("peter-sedgwick", TRANSLATOR)],
        notes="Written in Mexico and published four years after Serge's death.",
    ),
    serge(
        title="Men in Prison",
        slug="men-in-prison",
        original_title="Les Hommes dans la prison",
        kind=Work.Kind.NOVEL,
        year_published=1930,
        year_published_english=1969,
        credits=[("victor-serge", AUTHOR), ("richard-greeman", TRANSLATOR)],
        notes="A novel drawn from Serge's own years in French prisons.",
    ),
    serge(
        title="Birth of Our Power",
        slug="birth-of-our-power",
        original_title="Naissance de notre force",
        kind=Work.Kind.NOVEL,
        year_published=1931,
    ),
    serge(
        title="Conquered City",
        slug="conquered-city",
        original_title="Ville conquise",
        kind=Work.Kind.NOVEL,
        year_published=1932,
    ),
    serge(
        title="Year One of the Russian Revolution",
        slug="year-one-of-the-russian-revolution",
        original_title="L'An I de la révolution russe",
        kind=Work.Kind.HISTORY,
        year_published=1930,
    ),
    serge(
        # Known by its French title: it has no English edition of its own.
        title="Littérature et révolution",
        slug="litterature-et-revolution",
        kind=Work.Kind.ESSAY,
        year_published=1932,
    ),
    serge(
        title="Resistance",
        slug="resistance",
        original_title="Résistance",
        kind=Work.Kind.POEMS,
        year_written=1935,
        year_published=1938,
        date_note="Written in 1935 in Orenburg and published in 1938; "
        "the Dissident Marxism essay dates it 1935.",
    ),
    serge(
        title="Sixteen Shot",
        subtitle="Where Is the Russian Revolution Going?",
        slug="sixteen-shot",
        original_title="Seize fusillés : où va la révolution russe ?",
        kind=Work.Kind.PAMPHLET,
        year_published=1936,
    ),
    serge(
        title="Russia Twenty Years After",
        slug="russia-twenty-years-after",
        original_title="Destin d'une révolution",
        kind=Work.Kind.POLITICS,
        year_published=1937,
    ),
    serge(
        title="Midnight in the Century",
        slug="midnight-in-the-century",
        original_title="S'il est minuit dans le siècle",
        kind=Work.Kind.NOVEL,
        year_published=1939,
    ),
    serge(
        title="Hitler contre Staline",
        slug="hitler-contre-staline",
        kind=Work.Kind.POLITICS,
        year_published=1941,
    ),
    serge(
        title="The Long Dusk",
        slug="the-long-dusk",
        original_title="Les Derniers Temps",
        kind=Work.Kind.NOVEL,
        year_published=1946,
    ),
    serge(
        title="The Case of Comrade Tulayev",
        slug="the-case-of-comrade-tulayev",
        original_title="L'Affaire Toulaév",
        kind=Work.Kind.NOVEL,
        year_published=1948,
        year_published_english=1950,
        date_note="Sources differ: the French edition appeared in 1948, after Serge's death, "
        "and some give 1950, the year of the English translation.",
    ),
    serge(
        title="Unforgiving Years",
        slug="unforgiving-years",
        original_title="Les Années sans pardon",
        kind=Work.Kind.NOVEL,
        year_published=1971,
        notes="Published long after Serge's death.",
    ),
    serge(
        title="Lenin 1917",
        slug="lenin-1917",
        original_title="Lénine 1917",
        kind=Work.Kind.BIOGRAPHY,
        year_published=1925,
    ),
    serge(
        title="Year Two of the Russian Revolution",
        slug="year-two-of-the-russian-revolution",
        original_title="L'An II de la révolution russe",
        kind=Work.Kind.HISTORY,
        date_note="Never published: the manuscript was confiscated in 1936, "
        "when Serge was allowed to leave the Soviet Union.",
    ),
    {
        "title": "The Revolution Betrayed",
        "slug": "the-revolution-betrayed",
        "original_title": "Преданная революция",
        "original_language": "ru",
        "kind": Work.Kind.POLITICS,
        "year_written": 1936,
        "year_published": 1937,
        "credits": [("leon-trotsky", AUTHOR)],
    },
    {
        "title": "My Disillusionment in Russia",
        "slug": "my-disillusionment-in-russia",
        "original_language": "en",
        "kind": Work.Kind.MEMOIR,
        "year_published": 1923,
        "credits": [("emma-goldman", AUTHOR)],
    },
    {
        "title": "Darkness at Noon",
        "slug": "darkness-at-noon",
        "original_title": "Sonnenfinsternis",
        "original_language": "de",
        "kind": Work.Kind.NOVEL,
        "year_published": 1940,
        "credits": [("arthur-koestler", AUTHOR)],
        "notes": "Written in German, but first published in English translation.",
    },
    {
        "title": "Nineteen Eighty-Four",
        "slug": "nineteen-eighty-four",
        "original_language": "en",
        "kind": Work.Kind.NOVEL,
        "year_published": 1949,
        "credits": [("george-orwell", AUTHOR)],
        "notes": "Also cited as *1984*.",
    },
    {
        "title": "The Managerial Revolution",
        "slug": "the-managerial-revolution",
        "original_language": "en",
        "kind": Work.Kind.POLITICS,
        "year_published": 1941,
        "credits": [("james-burnham", AUTHOR)],
    },
    {
        "title": "Mother",
        "slug": "mother",
        "original_title": "Мать",
        "original_language": "ru",
        "kind": Work.Kind.NOVEL,
        "year_published": 1907,
        "date_note": "The year the Dissident Marxism essay gives; some sources date it to 1906.",
        "credits": [("maxim-gorky", AUTHOR)],
    },
    {
        # An adaptation for the stage, so not a translation_of Gorky's novel.
        "title": "The Mother",
        "slug": "the-mother",
        "original_title": "Die Mutter",
        "original_language": "de",
        "kind": Work.Kind.PLAY,
        "year_published": 1932,
        "credits": [("bertolt-brecht", AUTHOR)],
        "notes": "A play after Gorky's novel *Mother*: a free adaptation, not a translation.",
    },
    {
        "title": "Marxism and Philosophy",
        "slug": "marxism-and-philosophy",
        "original_title": "Marxismus und Philosophie",
        "original_language": "de",
        "kind": Work.Kind.PHILOSOPHY,
        "year_published": 1923,
        "credits": [("karl-korsch", AUTHOR)],
    },
    {
        "title": "Finance Capital",
        "slug": "finance-capital",
        "original_title": "Das Finanzkapital",
        "original_language": "de",
        "kind": Work.Kind.ECONOMICS,
        "year_published": 1910,
        "credits": [("rudolf-hilferding", AUTHOR)],
    },
    {
        "title": "Dissident Marxism",
        "subtitle": "Past Voices for Present Times",
        "slug": "dissident-marxism",
        "original_language": "en",
        "kind": Work.Kind.BOOK,
        "year_published": 2004,
        "publisher": "Zed Books",
        "place": "London and New York",
        "credits": [("david-renton", AUTHOR)],
    },
    {
        "title": "The Dissident Marxism of Victor Serge",
        "slug": "the-dissident-marxism-of-victor-serge",
        "original_language": "en",
        "kind": Work.Kind.CHAPTER,
        "year_published": 2004,
        "part_of": "dissident-marxism",
        "credits": [("david-renton", AUTHOR)],
    },
]
