"""
Querysets whose SQL is built once per process, then run with new values.

Building a queryset with unions, subqueries and EXISTS, and compiling it to
SQL, costs the ORM several milliseconds, many times what the database takes
to run it: on the essay page, the link queries of Essay.load_links() spent
about 6 ms in Django and 1 ms in PostgreSQL. A Prepared query builds its
queryset once, with stand-in values, and keeps the SQL; each call runs that
SQL with the real values through Model.objects.raw(), which reads the
model's columns and the annotations by name, as the queryset would.

What a Prepared query may build: a queryset of integer and string values
whose SQL does not depend on the values, but only on whether each is None
(a None becomes IS NULL, so each pattern of None values gets SQL of its
own), and that reads no related rows (raw() knows nothing of
select_related or prefetch_related). Whatever is not a value is fixed when
the SQL is built: a queryset that reads the clock (published(), with its
timezone.now()) cannot be prepared, and a builder must not branch on a
value other than by `is None` (it sees stand-ins, never an empty string).
Annotations come back as the database returns them, without the ORM's
conversions: an EXISTS is 0 or 1 and a date a string on SQLite, so prepare
only annotations read as numbers or truth.
"""

import itertools

from django.db import connections, router

# Stand-ins no primary key, count or text the site uses can equal: a
# parameter equal to one can only be that value. Negative, yet inside a
# 32-bit integer, for Django drops a lookup whose value its column cannot
# hold (taggit's object_id and content types' ids are 32-bit on PostgreSQL).
_FIRST_STAND_IN = -2_000_000_000


class Prepared:
    def __init__(self, model, build):
        """build(**values) -> a QuerySet of model; every value an integer, a string or None."""
        self.model = model
        self._build = build
        self._compiled = {}

    def __call__(self, **values):
        for value in values.values():
            _check_type(value)
        # Routed as the queryset would be: a replica may serve the read.
        alias = router.db_for_read(self.model)
        sql, places = self._sql(values, connections[alias].vendor)
        params = [place.param(values) for place in places]
        return self.model._default_manager.raw(sql, params, using=alias)

    def _sql(self, values, vendor):
        shape = tuple(sorted((name, value is None) for name, value in values.items()))
        found = self._compiled.get((vendor, shape))
        if found is None:
            found = self._compiled[(vendor, shape)] = self._compile(values)
        return found

    def _compile(self, values):
        numbers = itertools.count(_FIRST_STAND_IN, -1)
        stand_ins = {name: _stand_in(value, next(numbers)) for name, value in values.items()}
        queryset = self._build(**stand_ins)
        if queryset.model is not self.model:
            raise ValueError(
                f"The query reads {queryset.model.__name__}, not {self.model.__name__}."
            )
        if queryset.query.select_related or queryset._prefetch_related_lookups:
            raise ValueError("raw() reads no related rows: leave out select_related and prefetch.")
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        names = {v: name for name, v in stand_ins.items() if v is not None}
        # A value the SQL holds as text, or never uses, would be run with the
        # stand-in: refuse the queryset rather than give wrong rows.
        for stand_in, name in names.items():
            if str(stand_in) in sql:
                raise ValueError(f"{name!r} is written into the SQL itself, not passed.")
        places = [_Place.of(param, names) for param in params]
        unused = set(names.values()) - {place.name for place in places}
        if unused:
            raise ValueError(f"The query does not use {sorted(unused)}.")
        return sql, places


class _Place:
    """One parameter of the SQL: a constant, or the value called `name`."""

    def __init__(self, constant=None, name=None, kind=None):
        self.constant, self.name, self.kind = constant, name, kind

    @classmethod
    def of(cls, param, names):
        # Django may hand a value on wrapped for the driver (psycopg's Int4
        # for a 32-bit column): the real value is wrapped the same way.
        if isinstance(param, int | str) and not isinstance(param, bool) and param in names:
            return cls(name=names[param], kind=type(param))
        return cls(constant=param)

    def param(self, values):
        if self.name is None:
            return self.constant
        value = values[self.name]
        return value if self.kind in (int, str) else self.kind(value)


def _check_type(value):
    if value is not None and type(value) not in (int, str):
        raise TypeError(f"A prepared query takes integers, strings and None, not {value!r}.")


def _stand_in(value, number):
    _check_type(value)
    if value is None:
        return None
    return number if type(value) is int else f"prepared stand-in {number}"
