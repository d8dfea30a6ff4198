from urllib.parse import urlencode

from django import forms

from people.models import Person

from .models import Contribution, Work


class AuthorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person.sort_name

    def to_python(self, value):
        # A slug never holds a NUL byte, and PostgreSQL refuses one in a query.
        if value and "\x00" in str(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class WorkFilterForm(forms.Form):
    """The filters of the works list: plain GET parameters, so links to a filtered list work."""

    author = AuthorChoiceField(
        queryset=Person.objects.filter(
            pk__in=Contribution.objects.filter(role=Contribution.Role.AUTHOR).values("person")
        ).only("slug", "sort_name"),
        to_field_name="slug",
        required=False,
        empty_label="Any author",
        error_messages={"invalid_choice": "There is no author by that name; showing all authors."},
    )
    kind = forms.ChoiceField(
        choices=[("", "Any kind"), *Work.Kind.choices],
        required=False,
        error_messages={"invalid_choice": "There is no such kind of work; showing all kinds."},
    )

    def filter(self, works):
        """Apply the filters that are valid; invalid ones are reported and left out."""
        author = self.cleaned_data.get("author")
        if author:
            works = works.filter(
                pk__in=Contribution.objects.filter(
                    person=author, role=Contribution.Role.AUTHOR
                ).values("work")
            )
        kind = self.cleaned_data.get("kind")
        if kind:
            works = works.filter(kind=kind)
        return works

    def query_string(self):
        """The valid filters as a query string, for the pagination links."""
        values = {}
        if self.cleaned_data.get("author"):
            values["author"] = self.cleaned_data["author"].slug
        if self.cleaned_data.get("kind"):
            values["kind"] = self.cleaned_data["kind"]
        return urlencode(values)
