"""
The people the demo essays discuss. Dates known only to the year are
entered as 1 January with precision "year", as the admin asks editors to.
"""

from datetime import date

from people.models import DatePrecision, OtherName

BIRTH = OtherName.Kind.BIRTH
PEN = OtherName.Kind.PEN
SPELLING = OtherName.Kind.TRANSLITERATION
MISSPELLING = OtherName.Kind.MISSPELLING
OTHER = OtherName.Kind.OTHER


def year(value):
    return {"date": date(value, 1, 1), "precision": DatePrecision.YEAR}


def day(value, month, day_of_month):
    return {"date": date(value, month, day_of_month), "precision": DatePrecision.DAY}


# Each person: name, sort_name, slug, description, born/died (dicts from
# year() or day(), or None), places, other_names as (name, kind, note), and
# an optional Markdown biography.
PEOPLE = [
    {
        "name": "Victor Serge",
        "sort_name": "Serge, Victor",
        "slug": "victor-serge",
        "description": "Anarchist turned Bolshevik, Left Oppositionist, novelist, poet, historian",
        "born": day(1890, 12, 30),
        "birth_place": "Brussels",
        "died": day(1947, 11, 17),
        "death_place": "Mexico City",
        "other_names": [
            ("Viktor Lvovich Kibalchich", BIRTH, ""),
            ("Victor Kibaltchiche", SPELLING, "French spelling of the family name"),
            ("Le Rétif", PEN, "in the anarchist press before 1914"),
            ("Valentin", PEN, ""),
        ],
        "biography": """\
Born in Brussels to Russian exiles, Serge grew up among émigré
revolutionaries and came of age in the anarchist milieu of Paris, where he
wrote as *Le Rétif*. He served five years in French prisons after the trial
of the Bonnot gang, whose crimes he had not joined but would not denounce.
He reached Petrograd in 1919, threw in his lot with the Bolsheviks, and
worked for the Communist International.

From 1923 he belonged to the Left Opposition. Expelled from the party and
then deported to Orenburg, he was let out of the Soviet Union in 1936 only
after a campaign by writers in France. His manuscripts stayed behind. He
spent his last years in Mexico, poor and isolated, writing the novels and
the memoir for which he is now read.
""",
    },
    {
        "name": "Leon Trotsky",
        "sort_name": "Trotsky, Leon",
        "slug": "leon-trotsky",
        "description": "Leader of the Red Army and of the Left Opposition",
        "born": day(1879, 11, 7),
        "birth_place": "Yanovka",
        "died": day(1940, 8, 21),
        "death_place": "Coyoacán",
        "other_names": [
            ("Lev Davidovich Bronstein", BIRTH, ""),
            ("Trotski", SPELLING, "French spelling"),
            ("Trotzki", SPELLING, "German spelling"),
            ("Trockij", SPELLING, "scholarly transliteration"),
            ("Лев Троцкий", OTHER, "in Russian"),
        ],
        "biography": """\
A leader of the St Petersburg Soviet in 1905 and the organiser of the
October insurrection in 1917, Trotsky built the Red Army during the civil
war. After Lenin's death he led the opposition to the rising party
bureaucracy and lost: he was expelled in 1927, exiled to Alma-Ata, and
deported from the Soviet Union in 1929. From Turkey, France, Norway and
finally Mexico he wrote against Stalin's regime until an agent of the
Soviet police killed him at his house in Coyoacán.
""",
    },
    {
        "name": "Karl Korsch",
        "sort_name": "Korsch, Karl",
        "slug": "karl-korsch",
        "description": "German Marxist philosopher",
        "born": year(1886),
        "died": year(1961),
        "biography": """\
A lawyer by training, Korsch joined the German Communist Party in 1920 and
briefly served as a minister in Thuringia in 1923. In the same year he
published *Marxism and Philosophy*, which the Communist International
condemned. He was expelled from the party in 1926, drew close to the council
communists, and spent his later life in exile in the United States.
""",
    },
    {
        "name": "Joseph Stalin",
        "sort_name": "Stalin, Joseph",
        "slug": "joseph-stalin",
        "description": "General Secretary of the Soviet Communist Party",
        "born": year(1878),
        "died": year(1953),
        "other_names": [
            ("Ioseb Jughashvili", BIRTH, "in Georgian"),
            ("Iosif Dzhugashvili", SPELLING, "from the Russian"),
        ],
    },
    {
        "name": "Vladimir Lenin",
        "sort_name": "Lenin, Vladimir",
        "slug": "vladimir-lenin",
        "description": "Bolshevik leader",
        "born": year(1870),
        "died": year(1924),
        "other_names": [("Vladimir Ilyich Ulyanov", BIRTH, "")],
    },
    {
        "name": "Nikolai Bukharin",
        "sort_name": "Bukharin, Nikolai",
        "slug": "nikolai-bukharin",
        "description": "Bolshevik theorist, leader of the party's right",
        "born": year(1888),
        "died": year(1938),
    },
    {
        "name": "Lev Kamenev",
        "sort_name": "Kamenev, Lev",
        "slug": "lev-kamenev",
        "description": "Bolshevik leader",
        "born": year(1883),
        "died": year(1936),
        "other_names": [("Lev Rozenfeld", BIRTH, "")],
    },
    {
        "name": "Grigory Zinoviev",
        "sort_name": "Zinoviev, Grigory",
        "slug": "grigory-zinoviev",
        "description": "Bolshevik leader, head of the Comintern",
        "born": year(1883),
        "died": year(1936),
        "other_names": [
            ("Zinovyev", SPELLING, ""),
            ("Ovsei-Gershon Radomyslsky", BIRTH, ""),
        ],
    },
    {
        "name": "Emma Goldman",
        "sort_name": "Goldman, Emma",
        "slug": "emma-goldman",
        "description": "Anarchist writer",
        "born": year(1869),
        "birth_place": "Kovno",
        "died": year(1940),
        "death_place": "Toronto",
        "biography": """\
Goldman emigrated from the Russian empire to the United States as a young
woman and became the best-known anarchist speaker in the country, campaigning
for free speech, birth control and against conscription. Deported to Soviet
Russia in 1919, she left it two years later, disillusioned, and wrote one of
the first accounts of the revolution's decay by someone who had hoped for it.
""",
    },
    {
        "name": "Arthur Koestler",
        "sort_name": "Koestler, Arthur",
        "slug": "arthur-koestler",
        "description": "Novelist and essayist",
        "born": year(1905),
        "birth_place": "Budapest",
        "died": year(1983),
        "death_place": "London",
        "biography": """\
A Communist for most of the 1930s, Koestler broke with the party after the
Moscow trials and turned what he had learned into *Darkness at Noon*, the
novel that did more than any other to explain the trials to Western readers.
""",
    },
    {
        "name": "James Burnham",
        "sort_name": "Burnham, James",
        "slug": "james-burnham",
        "description": "Trotskyist, later conservative theorist",
        "born": year(1905),
        "died": year(1987),
    },
    {
        "name": "George Orwell",
        "sort_name": "Orwell, George",
        "slug": "george-orwell",
        "description": "Novelist and essayist",
        "born": year(1903),
        "died": year(1950),
        "other_names": [("Eric Arthur Blair", BIRTH, "")],
        "biography": """\
Orwell wrote under a pen name he chose in the early 1930s. Fighting with the
militia of the POUM in Spain, and then watching the Communists hunt down
his comrades, turned him into a lifelong opponent of Stalinism from the
left. He put that experience into *Homage to Catalonia*, *Animal Farm* and,
at the end of his short life, *Nineteen Eighty-Four*.
""",
    },
    {
        "name": "Natalia Sedova",
        "sort_name": "Sedova, Natalia",
        "slug": "natalia-sedova",
        "description": "Revolutionary, Trotsky's partner",
        "born": year(1882),
        "died": year(1962),
    },
    {
        "name": "André Breton",
        "sort_name": "Breton, André",
        "slug": "andre-breton",
        "description": "Surrealist writer",
        "born": year(1896),
        "died": year(1966),
    },
    {
        "name": "Claude Lévi-Strauss",
        "sort_name": "Lévi-Strauss, Claude",
        "slug": "claude-levi-strauss",
        "description": "Anthropologist",
        "born": year(1908),
        "birth_place": "Brussels",
        "died": year(2009),
        "death_place": "Paris",
    },
    {
        "name": "Daniel Guérin",
        "sort_name": "Guérin, Daniel",
        "slug": "daniel-guerin",
        "description": "Libertarian socialist writer",
        "born": year(1904),
        "died": year(1988),
    },
    {
        "name": "Ante Ciliga",
        "sort_name": "Ciliga, Ante",
        "slug": "ante-ciliga",
        "description": "Left Oppositionist, author",
        "born": year(1898),
        "died": year(1992),
        "other_names": [("Anton Ciliga", SPELLING, "")],
    },
    {
        "name": "Rudolf Hilferding",
        "sort_name": "Hilferding, Rudolf",
        "slug": "rudolf-hilferding",
        "description": "Social Democratic economist",
        "born": year(1877),
        "birth_place": "Vienna",
        "died": year(1941),
        "death_place": "Paris",
    },
    {
        "name": "Nestor Makhno",
        "sort_name": "Makhno, Nestor",
        "slug": "nestor-makhno",
        "description": "Ukrainian anarchist commander",
        "born": year(1888),
        "died": year(1934),
        "death_place": "Paris",
    },
    {
        "name": "Yevgeni Preobrazhensky",
        "sort_name": "Preobrazhensky, Yevgeni",
        "slug": "yevgeni-preobrazhensky",
        "description": "Bolshevik economist",
        "born": year(1886),
        "died": year(1937),
        "other_names": [("E. A. Preobrazhensky", OTHER, "with initials, as on title pages")],
    },
    {
        "name": "Antonio Gramsci",
        "sort_name": "Gramsci, Antonio",
        "slug": "antonio-gramsci",
        "description": "Italian Communist theorist",
        "born": year(1891),
        "died": year(1937),
    },
    {
        "name": "Clara Zetkin",
        "sort_name": "Zetkin, Clara",
        "slug": "clara-zetkin",
        "description": "German socialist",
        "born": year(1857),
        "died": year(1933),
    },
    {
        "name": "Maxim Gorky",
        "sort_name": "Gorky, Maxim",
        "slug": "maxim-gorky",
        "description": "Writer",
        "born": year(1868),
        "died": year(1936),
        "other_names": [
            ("Alexei Peshkov", BIRTH, ""),
            ("Gorki", SPELLING, ""),
        ],
    },
    {
        "name": "Bertolt Brecht",
        "sort_name": "Brecht, Bertolt",
        "slug": "bertolt-brecht",
        "description": "Dramatist",
        "born": year(1898),
        "died": year(1956),
        "other_names": [("Bertholt Brecht", MISSPELLING, "")],
    },
    {
        "name": "C. L. R. James",
        "sort_name": "James, C. L. R.",
        "slug": "c-l-r-james",
        "description": "Trinidadian historian",
        "born": year(1901),
        "died": year(1989),
        "other_names": [("Cyril Lionel Robert James", OTHER, "full name")],
    },
    {
        "name": "Raya Dunayevskaya",
        "sort_name": "Dunayevskaya, Raya",
        "slug": "raya-dunayevskaya",
        "description": "Marxist humanist, Trotsky's former secretary",
        "born": year(1910),
        "died": year(1987),
    },
    {
        "name": "Tony Cliff",
        "sort_name": "Cliff, Tony",
        "slug": "tony-cliff",
        "description": "Theorist of state capitalism",
        "born": year(1917),
        "died": year(2000),
        "other_names": [("Yigael Gluckstein", BIRTH, "")],
    },
    {
        "name": "Mao Zedong",
        "sort_name": "Mao Zedong",
        "slug": "mao-zedong",
        "description": "Chinese Communist leader",
        "born": year(1893),
        "died": year(1976),
        "other_names": [("Mao Tse-tung", SPELLING, "Wade–Giles romanisation")],
    },
    {
        "name": "Albert Libertad",
        "sort_name": "Libertad, Albert",
        "slug": "albert-libertad",
        "description": "Individualist anarchist",
        "born": year(1875),
        "died": year(1908),
        "other_names": [("Joseph Albert", BIRTH, "")],
    },
    {
        "name": "Richard Greeman",
        "sort_name": "Greeman, Richard",
        "slug": "richard-greeman",
        "description": "Serge scholar and translator",
    },
    # Not in the essay's list of names, but credited on works below.
    {
        "name": "Peter Sedgwick",
        "sort_name": "Sedgwick, Peter",
        "slug": "peter-sedgwick",
        "description": "Translator of Serge's memoirs",
    },
    {
        "name": "David Renton",
        "sort_name": "Renton, David",
        "slug": "david-renton",
        "description": "Historian, author of Dissident Marxism",
    },
    {
        # Invented for the demo: the site's own author (see essays/demo/site.py),
        # credited for every essay that names no author of its own.
        "name": "Hélène Marchetti",
        "sort_name": "Marchetti, Hélène",
        "slug": "helene-marchetti",
        "description": "Historian of the left and author of this site (an invented demo name)",
    },
]
