"""A small site with every kind of content a page can show, for the page checks."""

from types import SimpleNamespace

from tests.factories import make_essay, make_person, make_section, make_work

# Headings (enough for a table of contents), a footnote, a table, a quotation,
# lists and links: the Markdown an essay really uses.
ESSAY_BODY = """\
Victor Serge wrote as a witness. This is a test essay, not a real one.

## Brussels and Paris

He grew up among exiles.[^1] *Men in Prison* came from those years.

> A quotation set apart from the text.

## Petrograd

- one point;
- another point, with a [link](https://example.org/).

| Year | Work |
| ---- | ---- |
| 1930 | Men in Prison |
| 1939 | Midnight in the Century |

## Mexico

1. First.
2. Second.

[^1]: A footnote with a source.
"""


def build_site():
    section = make_section(title="Research", slug="research")
    make_section(title="Biography", slug="biography")
    serge = make_person(
        name="Victor Serge",
        sort_name="Serge, Victor",
        slug="victor-serge",
        description="anarchist turned Bolshevik, novelist and historian",
        biography="Born in Brussels in 1890.[^1]\n\n[^1]: A note on the biography.",
        other_names=["Viktor Lvovich Kibalchich", "Le Rétif"],
    )
    trotsky = make_person(
        name="Leon Trotsky",
        sort_name="Trotsky, Leon",
        slug="leon-trotsky",
        other_names=["Lev Davidovich Bronstein", "Trotski"],
    )
    breton = make_person(name="André Breton", sort_name="Breton, André", slug="andre-breton")
    memoirs = make_work(
        title="Memoirs of a Revolutionary",
        slug="memoirs-of-a-revolutionary",
        original_title="Mémoires d'un révolutionnaire",
        authors=[serge],
        year_published=1951,
    )
    midnight = make_work(
        title="Midnight in the Century", slug="midnight-in-the-century", authors=[serge]
    )
    make_work(title="The Revolution Betrayed", slug="the-revolution-betrayed", authors=[trotsky])
    essay = make_essay(
        title="The Dissident Marxism of Victor Serge",
        slug="the-dissident-marxism-of-victor-serge",
        section=section,
        summary="Serge's life and writing, from anarchism to the Left Opposition.",
        body=ESSAY_BODY,
        tags=["Victor Serge", "Left Opposition"],
        people=[serge, trotsky, breton],
        works=[memoirs, midnight],
    )
    make_essay(title="Serge in Mexico", section=section, tags=["Victor Serge"], people=[serge])
    return SimpleNamespace(
        section=section,
        essay=essay,
        tag_slug=essay.tags.get(name="Victor Serge").slug,
        person=serge,
        work=memoirs,
    )
