"""
The demo essays. Each body is a Markdown file in texts/. Publication dates
are fixed, never "now", so that loading the demo twice changes nothing.
"""

from datetime import UTC, datetime
from pathlib import Path

from essays.models import Essay

TEXTS = Path(__file__).resolve().parent / "texts"

PUBLISHED = Essay.Status.PUBLISHED
DRAFT = Essay.Status.DRAFT


def body(name):
    return (TEXTS / name).read_text(encoding="utf-8")


# people and works name slugs; part_of names a work's slug.
ESSAYS = [
    {
        "title": "Victor Serge, Right on the Losing Side",
        "slug": "victor-serge-right-on-the-losing-side",
        "section": "socialist-history",
        # The demo's own prose, so by the (invented) site author: neither
        # a chapter of the real book nor credited to its real author.
        # Where the demo once lived, kept as a redirect.
        "old_addresses": ["/serge.html"],
        "summary": "Anarchist, Bolshevik, Oppositionist and novelist: how Victor Serge kept "
        "faith with socialism by refusing to excuse what was done in its name.",
        "body": body("victor-serge-right-on-the-losing-side.md"),
        "status": PUBLISHED,
        "published_at": datetime(2024, 3, 4, 9, 0, tzinfo=UTC),
        "tags": ["Victor Serge", "Left Opposition", "Anarchism", "Totalitarianism"],
        "people": [
            "victor-serge",
            "leon-trotsky",
            "albert-libertad",
            "grigory-zinoviev",
            "lev-kamenev",
        ],
        "works": [
            "memoirs-of-a-revolutionary",
            "men-in-prison",
            "year-one-of-the-russian-revolution",
            "birth-of-our-power",
            "conquered-city",
            "sixteen-shot",
            "year-two-of-the-russian-revolution",
        ],
    },
    {
        "title": "Serge's Novels: History Told by a Crowd",
        "slug": "serges-novels",
        "section": "books",
        "summary": "Victor Serge's novels have no single hero. Read in order, they tell the "
        "story of a generation of revolutionaries from prison to exile.",
        "body": body("serges-novels.md"),
        "status": PUBLISHED,
        "published_at": datetime(2024, 5, 20, 9, 0, tzinfo=UTC),
        "tags": ["Victor Serge", "Littérature", "Novels"],
        "people": ["victor-serge", "richard-greeman"],
        "works": [
            "men-in-prison",
            "birth-of-our-power",
            "conquered-city",
            "midnight-in-the-century",
            "the-case-of-comrade-tulayev",
            "the-long-dusk",
            "unforgiving-years",
        ],
    },
    {
        "title": "Trotsky and the Left Opposition",
        "slug": "trotsky-and-the-left-opposition",
        "section": "socialist-history",
        "summary": "How the Left Opposition tried to save the revolution from its own "
        "bureaucracy, and the argument about the Soviet state that outlived it.",
        "body": body("trotsky-and-the-left-opposition.md"),
        "status": PUBLISHED,
        "published_at": datetime(2024, 9, 9, 9, 0, tzinfo=UTC),
        "tags": ["Троцкий", "Left Opposition", "State capitalism"],
        "people": [
            "leon-trotsky",
            "joseph-stalin",
            "vladimir-lenin",
            "yevgeni-preobrazhensky",
            "grigory-zinoviev",
            "lev-kamenev",
            "nikolai-bukharin",
            "ante-ciliga",
            "rudolf-hilferding",
            "james-burnham",
            "c-l-r-james",
            "raya-dunayevskaya",
            "tony-cliff",
            "natalia-sedova",
            "victor-serge",
        ],
        "works": ["the-revolution-betrayed", "the-managerial-revolution"],
    },
    {
        "title": "Karl Korsch and Council Communism",
        "slug": "karl-korsch-and-council-communism",
        "section": "research",
        "summary": "Karl Korsch's Marxism and Philosophy was condemned by the Comintern a "
        "year after it appeared. Why, and what he did next.",
        "body": body("karl-korsch-and-council-communism.md"),
        "status": PUBLISHED,
        "published_at": datetime(2025, 1, 13, 9, 0, tzinfo=UTC),
        "tags": ["Karl Korsch", "Council communism", "Philosophy"],
        "people": [
            "karl-korsch",
            "rudolf-hilferding",
            "grigory-zinoviev",
            "vladimir-lenin",
            "bertolt-brecht",
        ],
        "works": ["marxism-and-philosophy", "finance-capital", "the-mother"],
    },
    {
        "title": "Orwell, Koestler and the Anti-Totalitarian Novel",
        "slug": "orwell-koestler-and-the-anti-totalitarian-novel",
        "section": "books",
        "summary": "Darkness at Noon, Nineteen Eighty-Four and The Case of Comrade Tulayev "
        "give three different answers to the question of why the accused confessed.",
        "body": body("orwell-koestler-and-the-anti-totalitarian-novel.md"),
        "status": PUBLISHED,
        "published_at": datetime(2025, 6, 2, 9, 0, tzinfo=UTC),
        "tags": ["Novels", "Totalitarianism", "Littérature"],
        "people": [
            "george-orwell",
            "arthur-koestler",
            "victor-serge",
            "james-burnham",
            "nikolai-bukharin",
        ],
        "works": [
            "darkness-at-noon",
            "nineteen-eighty-four",
            "the-case-of-comrade-tulayev",
            "the-managerial-revolution",
        ],
    },
    # Readers must never see the next two: a draft, and one scheduled for a
    # date that will not come soon. Staff see them as previews.
    {
        "title": "Notes on Emma Goldman in Russia",
        "slug": "notes-on-emma-goldman",
        "section": "biography",
        "summary": "Working notes on Emma Goldman's two years in Soviet Russia.",
        "body": body("notes-on-emma-goldman.md"),
        "status": DRAFT,
        "published_at": None,
        "tags": ["Anarchism", "Emma Goldman"],
        "people": ["emma-goldman", "victor-serge"],
        "works": ["my-disillusionment-in-russia"],
    },
    {
        "title": "Gorky, Brecht and The Mother",
        "slug": "gorky-brecht-and-the-mother",
        "section": "books",
        "summary": "One story, two works: Gorky's novel of a mother's conversion and "
        "Brecht's play that argues with it.",
        "body": body("gorky-brecht-and-the-mother.md"),
        "status": PUBLISHED,
        "published_at": datetime(2099, 1, 4, 9, 0, tzinfo=UTC),
        "tags": ["Bertolt Brecht", "Littérature", "Theatre"],
        "people": ["maxim-gorky", "bertolt-brecht", "karl-korsch"],
        "works": ["mother", "the-mother"],
    },
]
