import pytest
from django.core.cache import cache

from people.models import OtherName
from tests.factories import make_essay, make_person, make_section, make_work


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people():
    Kind = OtherName.Kind
    return {
        "serge": make_person(
            name="Victor Serge",
            sort_name="Serge, Victor",
            description="anarchist turned Bolshevik, novelist",
            other_names=[("Viktor Lvovich Kibalchich", Kind.BIRTH), "Kibaltchiche", "Le Rétif"],
        ),
        "trotsky": make_person(
            name="Leon Trotsky",
            sort_name="Trotsky, Leon",
            description="leader of the Red Army and of the Left Opposition",
            other_names=[("Lev Davidovich Bronstein", Kind.BIRTH), "Trotski", "Trotzki"],
        ),
        "orwell": make_person(
            name="George Orwell",
            sort_name="Orwell, George",
            description="novelist and essayist",
            other_names=[("Eric Arthur Blair", Kind.BIRTH)],
        ),
        "zinoviev": make_person(name="Grigory Zinoviev", sort_name="Zinoviev, Grigory"),
        "guerin": make_person(name="Daniel Guérin", sort_name="Guérin, Daniel", slug="guerin"),
        "levi_strauss": make_person(
            name="Claude Lévi-Strauss", sort_name="Lévi-Strauss, Claude", slug="levi-strauss"
        ),
        "mao": make_person(name="Mao Zedong", other_names=["Mao Tse-tung"]),
    }


@pytest.fixture
def works(people):
    return {
        "tulayev": make_work(
            title="The Case of Comrade Tulayev",
            original_title="L'Affaire Toulaév",
            year_published=1948,
            authors=[people["serge"]],
        ),
        "litterature": make_work(
            title="Littérature et révolution",
            slug="litterature-et-revolution",
            year_published=1932,
            authors=[people["serge"]],
        ),
        "betrayed": make_work(
            title="The Revolution Betrayed", year_published=1937, authors=[people["trotsky"]]
        ),
    }


@pytest.fixture
def research():
    return make_section(title="Research", slug="research")


@pytest.fixture
def essay(research, people):
    return make_essay(
        title="The Dissident Marxism of Victor Serge",
        section=research,
        summary="Serge's life between anarchism, Bolshevism and the Left Opposition.",
        body="## Prison\n\nHe wrote of the degeneration of the revolution from within.\n\n"
        + "Filler words about cities and seasons. " * 80
        + "\n\nLate in life he corresponded with Claude Lévi-Strauss in Mexico.",
        tags=["Stalinism", "Literature"],
        people=[people["serge"]],
    )
