from urllib.parse import urlencode

from django import forms

from people.models import Person

from .models import Contribution, Work

NO_AUTHOR = "There is no author by that name; showing all authors."


def _refuse_nul(value, message):
    # No name or address holds a NUL byte, and PostgreSQL refuses one in a query.
    if value and "\x00" in value:
        raise forms.ValidationError(message, code="invalid")
    return value


class WorkFilterForm(forms.Form):
    """
    The filters of the works list: plain GET parameters, so links to a filtered
    list work. An author is chosen by the start of a surname, or by a person's
    address (?author=victor-serge, as person pages link to it), never from a
    menu of every author: that menu grew with the catalogue.
    """

    author = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.HiddenInput,
        error_messages={"max_length": NO_AUTHOR},
    )
    name = forms.CharField(
        label="Author",
        required=False,
        max_length=100,
        help_text="The start of a surname: “Serge”, “Trot”.",
        error_messages={"max_length": "That is longer than any name; showing all authors."},
    )
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *Work.Kind.choices],
        required=False,
        error_messages={"invalid_choice": "There is no such kind of work; showing all kinds."},
    )

    def clean_author(self):
        slug = _refuse_nul(self.cleaned_data["author"], NO_AUTHOR)
        if not slug:
            return None
        # One query on the unique slug; only someone who wrote a work is an author.
        found = list(
            Person.objects.filter(slug=slug, contributions__role=Contribution.Role.AUTHOR)
            .only("name", "sort_name", "slug")
            .order_by()[:1]
        )
        if not found:
            raise forms.ValidationError(NO_AUTHOR, code="invalid_choice")
        return found[0]

    def clean_name(self):
        return _refuse_nul(self.cleaned_data["name"], "Names hold no such character.")

    def filter(self, works):
        """Apply the filters that are valid; invalid ones are reported and left out."""
        author = self.cleaned_data.get("author")
        if author:
            works = works.filter(pk__in=_written(person=author))
        name = self.cleaned_data.get("name")
        if name:
            people = Person.objects.sort_name_starts(name)
            works = works.filter(pk__in=_written(person__in=people))
        kind = self.cleaned_data.get("kind")
        if kind:
            works = works.filter(kind=kind)
        return works

    def _values(self):
        values = {}
        if self.cleaned_data.get("author"):
            values["author"] = self.cleaned_data["author"].slug
        for field in ("name", "kind"):
            if self.cleaned_data.get(field):
                values[field] = self.cleaned_data[field]
        return values

    def query_string(self):
        """The valid filters as a query string, for the pagination links."""
        return urlencode(self._values())

    def query_string_without(self, field):
        """The valid filters but `field`: the link that drops that one."""
        return urlencode({key: value for key, value in self._values().items() if key != field})


def _written(**people):
    """The ids of the works written (not translated or edited) by these people."""
    return Contribution.objects.filter(role=Contribution.Role.AUTHOR, **people).values("work")
