"""
Whole numbers read from a request (page numbers, decades, years), in one place.

`int()` is the wrong tool for text a visitor sends: it takes digits of any
script ("١٩٣٠" is 1930), underscores ("1_000") and surrounding spaces, and
`str.isdigit()` is true of characters `int()` then refuses ("²", "①"). Only
plain ASCII digits with an optional minus sign count here, and only within
the bounds a caller gives, so nothing a visitor types can reach the database
as a number it cannot hold.
"""

import re

# Longer than any bound used on this site, short enough that parsing it costs nothing.
MAX_DIGITS = 18
_NUMBER = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}")
_LONG_NUMBER = re.compile(rf"-?[0-9]{{{MAX_DIGITS + 1},}}")


def parse_int(value, default=None, *, minimum=None, maximum=None):
    """value as an int when it is ASCII digits within [minimum, maximum]; default otherwise."""
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _NUMBER.fullmatch(value):
        number = int(value)
    else:
        return default
    if minimum is not None and number < minimum:
        return default
    if maximum is not None and number > maximum:
        return default
    return number


def page_number(value):
    """
    What to hand Paginator.get_page for a page number from a request: a number
    in ASCII digits, whatever its size or sign, or else 1. get_page answers a
    number past either end with the last page, as it always has here.
    """
    if isinstance(value, str) and _LONG_NUMBER.fullmatch(value):
        return 10**MAX_DIGITS  # past the end, without converting hundreds of digits
    return parse_int(value, default=1)
