"""The detector on its own: targets and text in, matches out. No database."""

import pytest

from sergesite.mentions import FULL, SHORT, WEAK, Matcher, Name, Target, context, fold


def person(key, name, *others, surname=None):
    names = [Name(name)] + [Name(o, FULL if " " in o else SHORT) for o in others]
    if surname:
        names.append(Name(surname, SHORT))
    return Target(key, tuple(names))


def work(key, title, *, authors=()):
    from sergesite.mentions import is_common_title

    kind = WEAK if is_common_title(title) else FULL
    return Target(key, (Name(title, kind),), frozenset(authors))


@pytest.fixture(scope="module")
def matcher():
    return Matcher(
        [
            person("trotsky", "Leon Trotsky", "Lev Davidovich Bronstein", "Trotzki",
                   surname="Trotsky"),
            person("stalin", "Joseph Stalin", surname="Stalin"),
            person("lenin", "Vladimir Lenin", surname="Lenin"),
            person("goldman", "Emma Goldman", surname="Goldman"),
            person("guerin", "Daniel Guérin", surname="Guérin"),
            person("antonov", "Vladimir Antonov-Ovseenko", surname="Antonov-Ovseenko"),
            person("james", "C. L. R. James", "Cyril Lionel Robert James", surname="James"),
            person("burnham", "James Burnham", surname="Burnham"),
            person("preobrazhensky", "Yevgeni Preobrazhensky", "E. A. Preobrazhensky",
                   surname="Preobrazhensky"),
            person("mao", "Mao Zedong", "Mao Tse-tung"),
            person("gorky", "Maxim Gorky", surname="Gorky"),
            person("marta", "Marta Vogel", surname="Vogel"),
            person("paul", "Paul Vogel", surname="Vogel"),
            work("mother", "Mother", authors=["gorky"]),
            work("men-in-prison", "Men in Prison"),
            work("finance-capital", "Finance Capital"),
        ]
    )  # fmt: skip


def found(matcher, text, **options):
    return [(m.phrase, m.keys) for m in matcher.find(text, **options)]


def test_a_full_name_is_found_with_its_place_in_the_text(matcher):
    text = "In exile Leon Trotsky wrote."
    [match] = matcher.find(text)
    assert (match.start, match.end, match.keys, match.kind) == (9, 21, ("trotsky",), FULL)
    assert text[match.start : match.end] == "Leon Trotsky"


def test_possessives_straight_and_curly_are_the_person(matcher):
    assert found(matcher, "Trotsky's view and Goldman’s reply.") == [
        ("Trotsky", ("trotsky",)),
        ("Goldman", ("goldman",)),
    ]


@pytest.mark.parametrize("word", ["Trotskyist", "Trotskyism", "Leninism", "Stalinist", "Stalinism"])
def test_derived_words_are_not_the_person(matcher, word):
    assert found(matcher, f"The {word} current, and anti-{word} writers.") == []


def test_an_unaccented_spelling_finds_the_accented_name_at_the_original_place(matcher):
    text = "Daniel Guerin and later Guérin again."
    matches = matcher.find(text)
    assert [(m.phrase, m.keys) for m in matches] == [
        ("Daniel Guerin", ("guerin",)),
        ("Guérin", ("guerin",)),
    ]
    assert text[matches[1].start : matches[1].end] == "Guérin"


def test_a_hyphenated_name_is_found_whole_with_or_without_its_hyphen(matcher):
    assert found(matcher, "Antonov-Ovseenko and Antonov Ovseenko; Antonov‑Ovseenko.") == [
        ("Antonov-Ovseenko", ("antonov",)),
        ("Antonov Ovseenko", ("antonov",)),
        ("Antonov‑Ovseenko", ("antonov",)),
    ]


@pytest.mark.parametrize("written", ["C. L. R. James", "C.L.R. James", "C L R James"])
def test_initials_spaced_or_not_find_their_person(matcher, written):
    assert found(matcher, f"As {written} argued.") == [(written, ("james",))]


def test_initials_before_a_surname_find_their_person(matcher):
    assert found(matcher, "The economist E. A. Preobrazhensky argued.") == [
        ("E. A. Preobrazhensky", ("preobrazhensky",))
    ]


def test_a_first_name_that_is_someone_elses_surname_is_never_that_person(matcher):
    assert found(matcher, "James Burnham left; James Burnham’s book.") == [
        ("James Burnham", ("burnham",)),
        ("James Burnham", ("burnham",)),
    ]


def test_a_name_at_the_start_of_a_sentence_in_quotes_or_brackets_is_found(matcher):
    text = 'Goldman left. "Trotsky," she wrote, (Stalin) and [Lenin].'
    assert [keys for _, keys in found(matcher, text)] == [
        ("goldman",),
        ("trotsky",),
        ("stalin",),
        ("lenin",),
    ]


def test_a_name_wrapped_across_two_lines_is_found(matcher):
    assert found(matcher, "wrote Leon\nTrotsky in 1936") == [("Leon\nTrotsky", ("trotsky",))]


def test_a_surname_shared_by_two_people_names_both(matcher):
    [match] = matcher.find("Then Vogel spoke.")
    assert match.ambiguous and set(match.keys) == {"marta", "paul"}
    assert found(matcher, "Marta Vogel spoke.") == [("Marta Vogel", ("marta",))]


def test_a_full_name_is_never_weakened_by_another_persons_surname(matcher):
    # "Leon Trotsky" is the full name; the shorter "Trotsky" inside it never wins.
    [match] = matcher.find("Leon Trotsky")
    assert match.kind == FULL and match.keys == ("trotsky",)


def test_a_surname_beside_another_capitalised_word_may_be_someone_else(matcher):
    assert [m.crowded for m in matcher.find("Henry James wrote.")] == [True]
    assert [m.crowded for m in matcher.find("When James wrote.")] == [False]
    assert [m.crowded for m in matcher.find("Comrade Trotsky spoke.")] == [False]


def test_lower_case_words_are_not_a_capitalised_title(matcher):
    assert found(matcher, "the age of finance capital") == []
    assert found(matcher, "Hilferding's Finance Capital") == [
        ("Finance Capital", ("finance-capital",))
    ]


@pytest.mark.parametrize(
    "text, mark",
    [
        ("She read *Mother* twice.", "italics"),
        ("She read _Mother_ twice.", "italics"),
        ("She read “Mother” twice.", "quotes"),
        ('She read "Mother," twice.', "quotes"),
        ("She read Mother (1907) twice.", "year"),
        ("Gorky wrote Mother in exile.", "companion"),
        ("Gorky wrote *Mother* in exile.", "italics+companion"),
    ],
)
def test_a_common_word_title_counts_where_the_text_marks_it(matcher, text, mark):
    [match] = [m for m in matcher.find(text) if m.keys == ("mother",)]
    assert match.marked == mark


def test_a_common_word_title_alone_is_not_a_mention(matcher):
    assert found(matcher, "Her Mother came home. Mother said nothing.") == []


def test_italics_known_from_the_html_mark_a_title(matcher):
    text = "She read Mother twice."
    [match] = matcher.find(text, emphasis=[(9, 15)])
    assert match.marked == "italics"


def test_a_distinctive_title_is_found_with_its_year_after_it(matcher):
    assert found(matcher, "Men in Prison (1930) is a novel.") == [
        ("Men in Prison", ("men-in-prison",))
    ]


def test_other_names_and_misspellings_are_their_person(matcher):
    assert found(matcher, "Lev Davidovich Bronstein, or Trotzki.") == [
        ("Lev Davidovich Bronstein", ("trotsky",)),
        ("Trotzki", ("trotsky",)),
    ]


def test_a_name_without_a_surname_form_needs_the_whole_name(matcher):
    assert found(matcher, "Mao said; Mao Zedong said; Mao Tse-tung said.") == [
        ("Mao Zedong", ("mao",)),
        ("Mao Tse-tung", ("mao",)),
    ]


def test_initials_do_not_end_a_sentence_for_the_context(matcher):
    text = "First sentence here. Then C. L. R. James wrote a book. Another one."
    [match] = matcher.find(text)
    assert context(text, match) == "Then C. L. R. James wrote a book."


def test_a_long_sentence_is_trimmed_around_the_phrase(matcher):
    text = "word " * 200 + "Trotsky " + "word " * 200 + "."
    [match] = matcher.find(text)
    snippet = context(text, match)
    assert "Trotsky" in snippet and len(snippet) <= 310
    assert snippet.startswith("…") and snippet.endswith("…")


def test_folding_keeps_every_position():
    text = "Lévi-Strauss’s Trotsky ÆSTHETIC straße"
    assert len(fold(text)) == len(text)
    assert fold(text).startswith("levi strauss's trotsky")
