"""
Faster list parameters for PostgreSQL.

Django's bulk_create() sends each column of the rows as one array on
PostgreSQL, and psycopg writes an array by escaping the quotes and
backslashes of every element with a regular expression, in Python. For long
texts full of quotes (a version's JSON above all) that was about a
millisecond of the import's own process per essay. Two bytes.replace() calls
escape the same characters in the same way in a twentieth of the time.

The escaping pattern is a class attribute of psycopg's ListDumper; if a
later psycopg names it otherwise, the override is simply unused and arrays
are written as before.
"""


class _Escape:
    """What ListDumper asks of its pattern: sub() backslash-escaping " and \\."""

    @staticmethod
    def sub(_replacement, data):
        return bytes(data).replace(b"\\", b"\\\\").replace(b'"', b'\\"')


def install():
    """Register the faster list dumper with psycopg, before Django's first connection."""
    from psycopg import adapters
    from psycopg.types.array import ListDumper

    class FasterListDumper(ListDumper):
        _re_esc = _Escape()

    adapters.register_dumper(list, FasterListDumper)
