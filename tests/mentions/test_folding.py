"""fold() keeps every position: the fast path must give what folding each character gives."""

from sergesite.name_folding import _FOLD, fold


def folded_one_by_one(text):
    return "".join(_FOLD[ord(char)] for char in text)


def test_every_character_folds_the_same_inside_a_text_as_on_its_own():
    characters = [
        chr(code)
        for code in range(0x110000)
        if not 0xD800 <= code < 0xE000 and len(chr(code).lower()) == 1
    ]
    for start in range(0, len(characters), 4096):
        text = "".join(characters[start : start + 4096])
        assert fold(text) == folded_one_by_one(text)


def test_a_text_with_a_letter_that_lowers_to_two_keeps_its_length():
    text = "İstanbul, where Trotsky landed in 1929"

    assert fold(text) == folded_one_by_one(text)
    assert len(fold(text)) == len(text)


def test_prose_folds_to_lower_case_without_accents_hyphens_or_curly_apostrophes():
    text = "Lévi-Strauss’ view of “Trotsky”\tand\nKIBALCHICH — the `Serge` years"

    assert fold(text) == "levi strauss' view of “trotsky” and kibalchich   the 'serge' years"
    assert fold(text) == folded_one_by_one(text)
