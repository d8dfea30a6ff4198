import unicodedata

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count
from django.db.models.functions import Lower
from markdownx.models import MarkdownxField

from search import index as search_index
from sergesite import mentions, redirects, versions
from sergesite.citations import names as citation_names
from sergesite.markup import render_markdown
from sergesite.url_cache import slug_address


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"
    CIRCA = "circa", "Circa (approximate year)"


def partial_date_iso(value, precision):
    """ISO 8601 at the precision known: "1890-12-30", "1890-12" or "1890"."""
    if value is None:
        return ""
    if precision == DatePrecision.DAY:
        return value.isoformat()
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def fold(text):
    """Lower case without accents, so that "Lévi-Strauss" sorts and files as "levi-strauss"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


# Where a name is filed when it does not start with a letter.
OTHER_INITIAL = "#"


def filing_key(sort_name):
    """
    What the A–Z list sorts by: the folded sort name, so that "Lévi-Strauss"
    comes between "Lenin" and "Lewis" whatever the database's collation.
    Cut to the column's length; a longer name still sorts by its first 200.
    """
    return fold(sort_name.strip())[:200]


def filing_initial(text):
    """The letter a name is filed under: "Émile" → "E", "Троцкий" → "Т", "1917" → "#"."""
    initial = fold(text.strip())[:1].upper()[:1]
    return initial if initial.isalpha() else OTHER_INITIAL


def surname(sort_name):
    """The family name from a sort name: "Trotsky, Leon" → "Trotsky"; "" without a comma."""
    return sort_name.split(",")[0].strip() if "," in sort_name else ""


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


# What the mention detector's names for a person and the links to them are made from.
_MENTION_FIELDS = ("name", "sort_name", "slug")


class PersonQuerySet(models.QuerySet):
    def initial_counts(self):
        """
        {initial: how many people are filed under it}, in the order of the
        A–Z list: letters by code point, "#" last. One query, read from the
        person_filing index alone.
        """
        rows = self.order_by().values_list("sort_initial").annotate(count=Count("pk"))
        return dict(sorted(rows, key=lambda row: (row[0] == OTHER_INITIAL, row[0])))

    def filed_under(self, initial):
        """The people under one initial, in A–Z order: a range of the person_filing index."""
        return self.filter(sort_initial=initial).order_by("sort_key", "pk")

    def sort_name_starts(self, text):
        """
        People whose folded sort name starts with the folded `text`, as a
        range of the person_filing index. The range is exact in byte order;
        startswith keeps it exact under any other collation too.
        """
        prefix = filing_key(text)
        if not prefix:
            return self.none()
        return self.filter(
            sort_initial=filing_initial(prefix),
            sort_key__gte=prefix,
            sort_key__lt=prefix + "\U0010ffff",
            sort_key__startswith=prefix,
        )

    def for_search_index(self):
        return self.prefetch_related("other_names")

    def get_with_other_names(self, **lookup):
        """
        The one person `lookup` finds, with other_names.all() already read:
        one query (the person joined to their other names, a row per name)
        instead of two. Raises Person.DoesNotExist.
        """
        fields = [field.attname for field in OtherName._meta.concrete_fields]
        rows = list(
            self.filter(**lookup)
            .annotate(**{f"other_{name}": models.F(f"other_names__{name}") for name in fields})
            .order_by("other_names__kind", "other_names__name")
        )
        if not rows:
            raise Person.DoesNotExist(lookup)
        person = rows[0]
        if len({row.pk for row in rows}) > 1:
            raise Person.MultipleObjectsReturned(lookup)
        person._prefetched_objects_cache = {
            "other_names": [
                OtherName(**{name: getattr(row, f"other_{name}") for name in fields})
                for row in rows
                if row.other_id is not None
            ]
        }
        return person


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
        max_length=200,
        unique=True,
        help_text="The last part of the address, as in /people/victor-serge/. "
        "Changing it leaves a redirect from the old one.",
    )
    is_organisation = models.BooleanField(
        "organisation",
        default=False,
        help_text="An organisation or group, such as “The editors”: cited by its name as "
        "written, never turned round.",
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
    # Set from sort_name on save, so that the A–Z list reads one letter at a
    # time, already in order, from the person_filing index.
    sort_initial = models.CharField(max_length=1, default=OTHER_INITIAL, editable=False)
    sort_key = models.CharField(max_length=200, default="", editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = [Lower("sort_name"), "pk"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["sort_initial", "sort_key", "id"], name="person_filing"),
            # The sitemap's count and latest change, read from this index alone.
            models.Index(fields=["updated_at"], name="person_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name="") & ~models.Q(sort_name=""),
                name="person_has_names",
                violation_error_message="A person needs a name and a sort name.",
            ),
            models.CheckConstraint(
                condition=models.Q(wikidata="") | models.Q(wikidata__regex=r"^Q[1-9][0-9]*$"),
                name="person_wikidata_format",
                violation_error_message="A Wikidata ID is Q followed by digits, like Q310151.",
            ),
            models.CheckConstraint(
                condition=models.Q(viaf="") | models.Q(viaf__regex=r"^[0-9]+$"),
                name="person_viaf_format",
                violation_error_message="A VIAF ID is digits only.",
            ),
            models.CheckConstraint(
                condition=models.Q(death_date__isnull=True)
                | models.Q(birth_date__isnull=True)
                | models.Q(death_date__gte=models.F("birth_date")),
                name="person_dies_after_birth",
                violation_error_message="The date of death is before the date of birth.",
            ),
            models.CheckConstraint(
                condition=models.Q(birth_precision__in=DatePrecision.values)
                & models.Q(death_precision__in=DatePrecision.values),
                name="person_date_precision_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.biography_html = render_markdown(self.biography)
        self.sort_key = filing_key(self.sort_name)
        self.sort_initial = filing_initial(self.sort_name)
        # One query, so that essays are rescanned only when a name or the address changes.
        stored = (
            Person.objects.filter(pk=self.pk).only(*_MENTION_FIELDS).first() if self.pk else None
        )
        before = tuple(getattr(stored, name) for name in _MENTION_FIELDS) if stored else None
        with redirects.tracking_address(self, stored=stored):
            super().save(*args, **kwargs)
        search_index.update_for(self)
        versions.record(self)
        after = tuple(getattr(self, name) for name in _MENTION_FIELDS)
        if before != after:
            old_names = [before[0], surname(before[1])] if before else []
            mentions.names_changed([*old_names, *(name.text for name in self.mention_names())])

    def get_absolute_url(self):
        return slug_address("people:detail", self.slug)

    def delete(self, *args, **kwargs):
        names = [name.text for name in self.mention_names()]
        search_index.remove_for(self)
        result = super().delete(*args, **kwargs)
        mentions.names_changed(names)
        return result

    def mention_names(self):
        """
        How essays name this person, for the mention detector: the name and
        every other name in full; the surname alone (a person whose sort name
        has no comma, like "Mao Zedong", has none), and one-word other names
        ("Trotzki"), which are weaker evidence. Reads other_names.all(): prefetch it.
        """
        found = [mentions.Name(self.name)]
        for name in (other.name for other in self.other_names.all()):
            kind = mentions.FULL if len(name.split()) > 1 else mentions.SHORT
            found.append(mentions.Name(name, kind))
        family = surname(self.sort_name)
        if family and family != self.name:
            found.append(mentions.Name(family, mentions.SHORT))
        return tuple(found)

    def essays_about(self):
        """
        The published essays that name this person (an accepted mention) or
        that an editor ticked as discussing them, newest first, with what a
        list of them shows: one query, each kind of id read from an index.
        Reached through the reverse relations: people knows nothing of essays.
        """
        ticked = self.essays.through.objects.filter(person=self).values("essay_id")
        named = self.mentions.accepted().order_by().values("essay_id")
        return (
            self.essays.model.objects.published()
            .filter(pk__in=ticked.union(named))
            .only("title", "slug", "published_at", "summary")
            .order_by("-published_at", "-pk")
        )

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
    def birth_iso(self):
        return partial_date_iso(self.birth_date, self.birth_precision)

    @property
    def death_iso(self):
        return partial_date_iso(self.death_date, self.death_precision)

    def public_other_names(self):
        # Reads self.other_names.all(): prefetch it, or this is one query per call.
        return [other for other in self.other_names.all() if other.is_public]

    def other_names_by_kind(self):
        """[(kind label, [names]), ...] in the order of OtherName.Kind; misspellings left out."""
        names = self.public_other_names()
        groups = []
        for kind in OtherName.Kind:
            of_kind = [other for other in names if other.kind == kind]
            if of_kind:
                groups.append((OtherName.KIND_HEADINGS[kind], of_kind))
        return groups

    def csl_name(self):
        """The name for citations, in parts from the sort name (sergesite.citations.names)."""
        return citation_names.csl_name(
            name=self.name, sort_name=self.sort_name, organisation=self.is_organisation
        )

    @property
    def schema_type(self):
        return "Organization" if self.is_organisation else "Person"

    def schema_reference(self, url=""):
        """A short schema.org Person (or Organization) naming this one, for another's JSON-LD."""
        data = {"@type": self.schema_type, "name": self.name}
        if url:
            data["url"] = url
        if self.same_as():
            data["sameAs"] = self.same_as()
        return data

    def same_as(self):
        return [url for url in (self.wikidata_url, self.viaf_url) if url]

    def json_ld(self, *, url=""):
        """schema.org Person, for the JSON-LD block of the person page."""
        data = {"@context": "https://schema.org", "@type": self.schema_type, "name": self.name}
        if url:
            data["url"] = url
        alternates = [other.name for other in self.public_other_names()]
        if alternates:
            data["alternateName"] = alternates
        if self.description:
            data["description"] = self.description
        if self.birth_date:
            data["birthDate"] = self.birth_iso
        if self.birth_place:
            data["birthPlace"] = {"@type": "Place", "name": self.birth_place}
        if self.death_date:
            data["deathDate"] = self.death_iso
        if self.death_place:
            data["deathPlace"] = {"@type": "Place", "name": self.death_place}
        if self.same_as():
            data["sameAs"] = self.same_as()
        return data

    @property
    def wikidata_url(self):
        return f"https://www.wikidata.org/wiki/{self.wikidata}" if self.wikidata else ""

    @property
    def viaf_url(self):
        return f"https://viaf.org/viaf/{self.viaf}/" if self.viaf else ""

    # Search (see search.registry): a person is offered while typing in the box.
    search_kind = "person"
    search_suggest = True

    def search_names(self):
        """Every name the person goes by, misspellings included: search matches on them."""
        others = [other.name for other in self.other_names.all()]
        return [self.name, self.sort_name, *others]

    def search_document(self):
        names = self.search_names()
        return {
            "title": self.name,
            "other_names": " ".join(names[1:]),
            "summary": self.description,
            "body": search_index.plain_text(self.biography_html) or self.biography,
            "names": search_index.name_list(*names),
            "meta": " · ".join(part for part in (self.lifespan, self.description) if part),
            "decade": search_index.decade(self.birth_date.year if self.birth_date else None),
        }


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

    # Headings for the person page, where several names of one kind are listed together.
    KIND_HEADINGS = {
        Kind.BIRTH: "Birth name",
        Kind.PEN: "Pen names",
        Kind.TRANSLITERATION: "Other spellings",
        Kind.MISSPELLING: "Misspellings",
        Kind.OTHER: "Also known as",
    }

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"],
                name="other_name_unique_per_person",
                violation_error_message="This person already has that name.",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="other_name_not_empty"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["birth", "pen", "translit", "misspell", "other"]),
                name="other_name_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        before = OtherName.objects.filter(pk=self.pk).values_list("name", flat=True).first()
        super().save(*args, **kwargs)
        search_index.update_for(self.person)
        versions.record(self.person)
        if before != self.name:
            mentions.names_changed([before, self.name])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        search_index.update_for(self.person)
        versions.record(self.person)
        mentions.names_changed([self.name])
        return result

    @property
    def is_public(self):
        # Misspellings help search find a person; they are not shown as names.
        return self.kind != self.Kind.MISSPELLING


# Every save keeps a version (sergesite/versions.py), with the other names.
versions.register(Person, parts={OtherName: "Other names"})
