from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from markdownx.models import MarkdownxField

from sergesite.markup import render_markdown


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"
    CIRCA = "circa", "Circa (approximate year)"


def format_partial_date(value, precision):
    if value is None:
        return ""
    if precision == DatePrecision.DAY:
        return f"{value.day} {value:%B %Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%B %Y}"
    if precision == DatePrecision.CIRCA:
        return f"c. {value.year}"
    return str(value.year)


class PersonQuerySet(models.QuerySet):
    def by_initial(self):
        """Group people by the first letter of their sort name, for the A–Z index."""
        groups = {}
        for person in self:
            initial = (person.sort_name[:1] or "#").upper()
            groups.setdefault(initial if initial.isalpha() else "#", []).append(person)
        return groups


class Person(models.Model):
    name = models.CharField(
        max_length=200, help_text="The name readers know, as shown on the site: “Victor Serge”."
    )
    sort_name = models.CharField(
        max_length=200,
        help_text="How the name is alphabetised: “Serge, Victor”. Leave as the name if it has "
        "no surname, like “Mao Zedong”.",
    )
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The web address: /people/<slug>/. Keep it stable."
    )
    description = models.CharField(
        max_length=250,
        blank=True,
        help_text="One line shown under the name in lists: “anarchist turned Bolshevik”.",
    )
    biography = MarkdownxField(blank=True, help_text="Markdown. Footnotes and tables work.")
    biography_html = models.TextField(blank=True, editable=False)

    birth_date = models.DateField(
        null=True,
        blank=True,
        help_text="For a year alone, enter 1 January of that year and choose “Year only”.",
    )
    birth_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.YEAR
    )
    birth_place = models.CharField(max_length=200, blank=True)
    death_date = models.DateField(null=True, blank=True)
    death_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.YEAR
    )
    death_place = models.CharField(max_length=200, blank=True)

    wikidata = models.CharField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9]\d*$", "A Wikidata ID looks like Q123.")],
        help_text="For example Q310151. Shown as a link.",
    )
    viaf = models.CharField(
        "VIAF ID",
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\d+$", "A VIAF ID is digits only.")],
        help_text="The number at the end of the viaf.org address.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = [Lower("sort_name"), "pk"]
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wikidata="") | models.Q(wikidata__regex=r"^Q[1-9][0-9]*$"),
                name="person_wikidata_format",
            ),
            models.CheckConstraint(
                condition=models.Q(viaf="") | models.Q(viaf__regex=r"^[0-9]+$"),
                name="person_viaf_format",
            ),
            models.CheckConstraint(
                condition=models.Q(death_date__isnull=True)
                | models.Q(birth_date__isnull=True)
                | models.Q(death_date__gte=models.F("birth_date")),
                name="person_dies_after_birth",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.biography_html = render_markdown(self.biography)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})

    @property
    def born(self):
        return format_partial_date(self.birth_date, self.birth_precision)

    @property
    def died(self):
        return format_partial_date(self.death_date, self.death_precision)

    @property
    def lifespan(self):
        """“1890–1947”, “1886–?”, “?–1961”, or "" when nothing is known."""
        if not self.birth_date and not self.death_date:
            return ""
        start = (
            self.born
            if self.birth_precision == DatePrecision.CIRCA
            else (str(self.birth_date.year) if self.birth_date else "?")
        )
        end = (
            self.died
            if self.death_precision == DatePrecision.CIRCA
            else (str(self.death_date.year) if self.death_date else "")
        )
        return f"{start}–{end}"

    @property
    def wikidata_url(self):
        return f"https://www.wikidata.org/wiki/{self.wikidata}" if self.wikidata else ""

    @property
    def viaf_url(self):
        return f"https://viaf.org/viaf/{self.viaf}/" if self.viaf else ""


class OtherName(models.Model):
    class Kind(models.TextChoices):
        BIRTH = "birth", "Birth name"
        PEN = "pen", "Pen name or pseudonym"
        TRANSLITERATION = "translit", "Transliteration or other spelling"
        MISSPELLING = "misspell", "Common misspelling"
        OTHER = "other", "Other name"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.TRANSLITERATION)
    note = models.CharField(
        max_length=200, blank=True, help_text="Optional: “French spelling”, “used in 1917–19”."
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="other_name_unique_per_person"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_public(self):
        # Misspellings help search find a person; they are not shown as names.
        return self.kind != self.Kind.MISSPELLING
