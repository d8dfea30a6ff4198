# The menu of the original site, in its order. Search, Sitemap and Feedback
# were menu items too, but here they are built-in pages, not sections.

SECTIONS = [
    {
        "slug": "welcome",
        "title": "Welcome",
        "intro": """\
This is a small library of essays on the history of the socialist left:
the revolutionaries, dissidents and writers who argued about what socialism
should mean, and the books they left behind.

Every essay links to pages on the **people** it discusses and the **works**
it cites, so a name or a title leads on to everything else here that
mentions it. People are listed under every name they went by, including
birth names, pen names and the many ways Russian names are spelt in
Latin letters, so a search for *Kibalchich* or *Trotzki* still finds them.

Start with the latest essays below, or browse by section in the menu.
""",
    },
    {
        "slug": "anti-nazi-league",
        "title": "Anti Nazi League",
        "intro": """\
Writing on the Anti Nazi League, the campaign launched in Britain in 1977
to confront the National Front on the streets, at concerts and in the
workplace, and on what later anti-fascists took from it.
""",
    },
    {
        "slug": "research",
        "title": "Research",
        "intro": """\
Longer pieces of research: arguments about Marxist theory and its critics,
with notes on the sources used.
""",
    },
    {
        "slug": "hegemon-press",
        "title": "Hegemon press",
        "intro": """\
Pamphlets and short books published under the Hegemon imprint, with notes on
how to get hold of them.
""",
    },
    {
        "slug": "books",
        "title": "Books",
        "intro": """\
Books, and essays about books: novels, memoirs and histories from the
left, read for what they say about their own time.
""",
    },
    {
        "slug": "socialist-history",
        "title": "Socialist history",
        "intro": """\
Essays on the history of socialism, and above all on the people who tried
to keep its democratic promise alive when their own side betrayed it.
""",
    },
    {
        "slug": "journalism",
        "title": "Journalism",
        "intro": "Shorter articles first written for newspapers and magazines.",
    },
    {
        "slug": "biography",
        "title": "Biography",
        "intro": """\
Lives: short biographical studies of the people who appear in the other
sections.
""",
    },
    {
        "slug": "migration",
        "title": "Migration",
        "intro": """\
Exile, asylum and migration: many of the people on this site crossed
borders because their politics left them no choice.
""",
    },
    {
        "slug": "media",
        "title": "Media",
        "intro": "Interviews, talks and broadcasts, with notes on where to find them.",
    },
    {
        "slug": "trade-unionism",
        "title": "Trade unionism",
        "intro": """\
Writing on trade unions: how workers have organised, and what happens to
their organisations over time.
""",
    },
    {
        "slug": "family-history",
        "title": "Family History",
        "intro": """\
Notes from family history research: records, places and the ordinary lives
behind them.
""",
    },
    {
        "slug": "links",
        "title": "Links",
        "intro": "Other sites worth reading on the history of the left.",
    },
]
