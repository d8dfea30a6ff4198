"""
Name parts for citations, read from the sort name an editor already keeps,
never guessed from word order:

- "Serge, Victor"               family Serge, given Victor
- "King, Martin Luther, Jr."    a third part is a suffix
- "Beauvoir, Simone de"         lower-case words after the given name are a
                                dropping particle ("de")
- "van Gogh, Vincent"           lower-case words before the family name are a
                                non-dropping particle
- "Mao Zedong" (no comma)       one name, cited as written
- an organisation               cited as written, never inverted
"""


def csl_name(*, name, sort_name, organisation=False):
    """A CSL-JSON name object."""
    if organisation or "," not in sort_name:
        return {"literal": " ".join((name or sort_name).split())}
    family, given, *rest = (" ".join(part.split()) for part in sort_name.split(","))
    parts = {}
    words = family.split()
    particle = []
    while len(words) > 1 and words[0][:1].islower():
        particle.append(words.pop(0))
    if particle:
        parts["non-dropping-particle"] = " ".join(particle)
    parts["family"] = " ".join(words)
    words = given.split()
    dropping = []
    while len(words) > 1 and words[-1][:1].islower():
        dropping.insert(0, words.pop())
    if words:
        parts["given"] = " ".join(words)
    if dropping:
        parts["dropping-particle"] = " ".join(dropping)
    suffix = ", ".join(part for part in rest if part)
    if suffix:
        parts["suffix"] = suffix
    return parts


def family_with_particle(name):
    return " ".join(filter(None, [name.get("non-dropping-particle"), name.get("family")]))


def given_with_particle(name):
    return " ".join(filter(None, [name.get("given"), name.get("dropping-particle")]))


def inverted(name):
    """“Family, Given”, “Family, Given, Jr.”, or the literal: Highwire, RIS, COinS."""
    if "literal" in name:
        return name["literal"]
    parts = [family_with_particle(name), given_with_particle(name), name.get("suffix")]
    return ", ".join(part for part in parts if part)


def display(name):
    """The name as read: “Martin Luther King Jr.”, “Simone de Beauvoir”."""
    if "literal" in name:
        return name["literal"]
    words = [given_with_particle(name), family_with_particle(name), name.get("suffix")]
    return " ".join(word for word in words if word)
