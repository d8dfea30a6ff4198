from django.core.cache import cache

from sergesite.citations import styles

ITEM = {
    "id": "work-memoirs",
    "type": "book",
    "title": "Memoirs of a Revolutionary",
    "author": [{"family": "Serge", "given": "Victor"}],
    "issued": {"date-parts": [[1963]]},
}


def test_a_record_rendered_once_is_read_from_the_cache_the_next_time(monkeypatch):
    first = styles.render_all(ITEM)
    monkeypatch.setattr(styles, "render", lambda item, style: "never called")

    again = styles.render_all(ITEM)

    assert again == first
    assert "Memoirs of a Revolutionary" in str(again[0][1])


def test_a_changed_record_is_rendered_again_never_served_stale(monkeypatch):
    styles.render_all(ITEM)

    changed = {**ITEM, "title": "Midnight in the Century"}
    rendered = dict(styles.render_all(changed))

    assert all("Midnight in the Century" in str(text) for text in rendered.values())
    assert len(rendered) == len(styles.STYLES)


def test_a_title_with_markup_stays_text_when_it_comes_from_the_cache():
    cache.clear()
    hostile = {**ITEM, "title": "<script>alert(1)</script>"}

    built = [str(text) for _, text in styles.render_all(hostile)]
    cached = [str(text) for _, text in styles.render_all(hostile)]

    assert cached == built
    assert all("<script>" not in text and "&lt;script&gt;" in text for text in cached)


def test_a_record_cited_under_another_host_shows_that_host_without_rendering_again(
    monkeypatch,
):
    cache.clear()
    on_www = {**ITEM, "URL": "https://www.example.org/works/memoirs/"}
    first = [str(text) for _, text in styles.render_all(on_www)]
    monkeypatch.setattr(styles, "render", lambda item, style: "never called")

    bare = [
        str(text)
        for _, text in styles.render_all(
            {**on_www, "URL": "http://example.org:8000/works/memoirs/"}
        )
    ]

    assert all("https://www.example.org/works/memoirs/" in text for text in first)
    assert all("http://example.org:8000/works/memoirs/" in text for text in bare)
    assert not any("www.example.org" in text or "invalid" in text for text in bare)


def test_an_address_that_is_not_a_full_url_is_cited_as_it_is():
    cache.clear()
    rendered = [str(text) for _, text in styles.render_all({**ITEM, "URL": "/works/memoirs/"})]

    assert all("/works/memoirs/" in text and "invalid" not in text for text in rendered)
