import pytest
from django.core.cache import cache

from people.models import OtherName
from tests.factories import make_person, make_work


@pytest.fixture(autouse=True)
def _fresh_names():
    # The matcher's version lives in the cache; each test starts from its own names.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people():
    return {
        "trotsky": make_person(
            name="Leon Trotsky",
            sort_name="Trotsky, Leon",
            other_names=[("Lev Davidovich Bronstein", OtherName.Kind.BIRTH), "Trotzki"],
        ),
        "goldman": make_person(name="Emma Goldman", sort_name="Goldman, Emma"),
        "gorky": make_person(name="Maxim Gorky", sort_name="Gorky, Maxim"),
        # Two invented people who share a surname.
        "marta": make_person(name="Marta Vogel", sort_name="Vogel, Marta"),
        "paul": make_person(name="Paul Vogel", sort_name="Vogel, Paul"),
    }


@pytest.fixture
def works(people):
    return {
        "mother": make_work(title="Mother", authors=[people["gorky"]]),
        "betrayed": make_work(title="The Revolution Betrayed", authors=[people["trotsky"]]),
    }
