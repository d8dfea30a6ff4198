from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Subquery
from django.db.models.functions import Coalesce, Lower
from markdownx.models import MarkdownxField

from people.models import Person
from search import index as search_index
from sergesite import mentions, redirects, versions
from sergesite.citations import styles, tags
from sergesite.markup import render_markdown
from sergesite.url_cache import slug_address

from . import citation

YEAR_VALIDATORS = [MinValueValidator(1), MaxValueValidator(2100)]
# What the mention detector's names for a work and the links to it are made from.
_MENTION_FIELDS = ("title", "original_title", "slug")


class WorkQuerySet(models.QuerySet):
    def with_year(self):
        """Annotate `sort_year`: first publication, or the year written when never published."""
        return self.annotate(sort_year=Coalesce("year_published", "year_written"))

    def by(self, person):
        return self.filter(contributions__person=person).distinct()

    def for_search_index(self):
        return self.prefetch_related("contributions__person")

    def page_of(self, slug):
        """
        (work, parts, translations) for a work's page, in one query: the work
        (with the book it is part of and its original) and the works that
        are its parts or its translations. The work's id is a subquery the
        database runs once, so each of the three conditions is read from an
        index. Raises Work.DoesNotExist.
        """
        work_id = Subquery(Work.objects.filter(slug=slug).values("pk")[:1])
        rows = list(
            self.filter(Q(slug=slug) | Q(part_of=work_id) | Q(translation_of=work_id))
            .select_related("part_of", "translation_of")
            .order_by(Lower("title"), "pk")
        )
        work = next((row for row in rows if row.slug == slug), None)
        if work is None:
            raise Work.DoesNotExist(slug)
        parts = [row for row in rows if row.part_of_id == work.pk]
        translations = [row for row in rows if row.translation_of_id == work.pk]
        return work, parts, translations

    def with_search_names_of(self, obj):
        # A work's document carries its contributors' names.
        return self.filter(contributions__person=obj) if isinstance(obj, Person) else self.none()


class Work(models.Model):
    class Kind(models.TextChoices):
        BOOK = "book", "Book"
        NOVEL = "novel", "Novel"
        MEMOIR = "memoir", "Memoir"
        HISTORY = "history", "History"
        BIOGRAPHY = "biography", "Biography"
        POLITICS = "politics", "Politics"
        PHILOSOPHY = "philosophy", "Philosophy"
        ECONOMICS = "economics", "Economics"
        ESSAY = "essay", "Essay"
        PAMPHLET = "pamphlet", "Pamphlet"
        ARTICLE = "article", "Article"
        CHAPTER = "chapter", "Chapter"
        POEMS = "poems", "Poems"
        PLAY = "play", "Play"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300, help_text="The title readers know, usually English.")
    subtitle = models.CharField(max_length=300, blank=True)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the address, as in /works/conquered-city/. "
        "Changing it leaves a redirect from the old one.",
    )
    original_title = models.CharField(
        max_length=300, blank=True, help_text="The title in the language it was written in."
    )
    original_language = models.CharField(
        max_length=12,
        blank=True,
        validators=[
            RegexValidator(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", "Use a code like fr, de or ru.")
        ],
        help_text="Language code of the original: fr, de, ru…",
    )
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.BOOK)

    year_written = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=YEAR_VALIDATORS
    )
    year_written_end = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="When writing took several years: the last one (1942–43 → 1943).",
    )
    year_published = models.PositiveSmallIntegerField(
        "first published", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    year_published_english = models.PositiveSmallIntegerField(
        "first in English", null=True, blank=True, validators=YEAR_VALIDATORS
    )
    date_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where sources disagree on a date, say how: “some sources give 1950”.",
    )

    publisher = models.CharField(max_length=200, blank=True)
    place = models.CharField("place of publication", max_length=200, blank=True)
    isbn = models.CharField(
        "ISBN",
        max_length=17,
        blank=True,
        validators=[RegexValidator(r"^(97[89])?[0-9-]{9,13}[0-9Xx]$", "Not an ISBN.")],
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text="The book this is a chapter or part of.",
    )
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="When this record is a translation: the original work.",
    )
    online_url = models.URLField(
        "online copy", max_length=500, blank=True, help_text="Where readers can read it online."
    )
    notes = MarkdownxField(blank=True, help_text="Markdown.")
    notes_html = models.TextField(blank=True, editable=False)
    people = models.ManyToManyField(Person, through="Contribution", related_name="works")
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkQuerySet.as_manager()

    class Meta:
        ordering = [Lower("title"), "pk"]
        # The works list's order (by year, undated last, then title), so that
        # a page of it is read from an index instead of sorting every work.
        indexes = [
            models.Index(
                Coalesce("year_published", "year_written"), Lower("title"), models.F("id"),
                name="work_list_order",
            ),
            models.Index(
                models.F("kind"), Coalesce("year_published", "year_written"), Lower("title"),
                models.F("id"), name="work_kind_list_order",
            ),
            # The sitemap's count and latest change, read from this index alone.
            models.Index(fields=["updated_at"], name="work_updated_at"),
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title=""),
                name="work_has_title",
                violation_error_message="A work needs a title.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "book",
                        "novel",
                        "memoir",
                        "history",
                        "biography",
                        "politics",
                        "philosophy",
                        "economics",
                        "essay",
                        "pamphlet",
                        "article",
                        "chapter",
                        "poems",
                        "play",
                        "other",
                    ]
                ),
                name="work_kind_valid",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=models.Q(isbn="")
                | models.Q(isbn__regex=r"^(97[89])?[0-9-]{9,13}[0-9Xx]$"),
                name="work_isbn_format",
                violation_error_message="That is not an ISBN.",
            ),
            models.CheckConstraint(
                condition=models.Q(original_language="")
                | models.Q(original_language__regex=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"),
                name="work_language_code_format",
                violation_error_message="Use a language code like fr, de or ru.",
            ),
            models.CheckConstraint(
                condition=models.Q(year_published_english__isnull=True)
                | models.Q(year_published__isnull=True)
                | models.Q(year_published_english__gte=models.F("year_published")),
                name="work_english_after_first_publication",
                violation_error_message="The first English edition cannot come before "
                "the first publication.",
            ),
            models.CheckConstraint(
                condition=models.Q(year_written_end__isnull=True)
                | models.Q(
                    year_written__isnull=False, year_written_end__gte=models.F("year_written")
                ),
                name="work_written_range_in_order",
                violation_error_message="The last year of writing needs a first year, "
                "and cannot come before it.",
            ),
            models.CheckConstraint(
                condition=~models.Q(part_of=models.F("pk")),
                name="work_not_part_of_itself",
                violation_error_message="A work cannot be part of itself.",
            ),
            models.CheckConstraint(
                condition=~models.Q(translation_of=models.F("pk")),
                name="work_not_translation_of_itself",
                violation_error_message="A work cannot be a translation of itself.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.notes_html = render_markdown(self.notes)
        # One query, so that essays are rescanned only when a title or the address changes.
        stored = Work.objects.filter(pk=self.pk).only(*_MENTION_FIELDS).first() if self.pk else None
        before = tuple(getattr(stored, name) for name in _MENTION_FIELDS) if stored else None
        with redirects.tracking_address(self, stored=stored):
            super().save(*args, **kwargs)
        search_index.update_for(self)
        versions.record(self)
        if before != tuple(getattr(self, name) for name in _MENTION_FIELDS):
            mentions.names_changed([*(before or ())[:2], self.title, self.original_title])

    def get_absolute_url(self):
        return slug_address("works:detail", self.slug)

    def delete(self, *args, **kwargs):
        names = [name.text for name in self.mention_names()]
        search_index.remove_for(self)
        result = super().delete(*args, **kwargs)
        mentions.names_changed(names)
        return result

    def mention_names(self):
        """
        How essays name this work, for the mention detector: its title and
        original title. A title of common words ("Mother", "Resistance") is
        weak: it counts only where the text marks it as a title (italics,
        quotation marks, a year in brackets) or names an author beside it.
        """
        titles = dict.fromkeys(t for t in (self.title, self.original_title) if t.strip())
        return tuple(
            mentions.Name(
                title, mentions.WEAK if mentions.is_common_title(title) else mentions.FULL
            )
            for title in titles
        )

    def clean(self):
        super().clean()
        # The database stops a work pointing at itself; a longer loop
        # (A part of B, B part of A) would hang the chapter lists.
        for field in ("part_of", "translation_of"):
            seen = {self.pk}
            other = getattr(self, field)
            while other is not None and self.pk is not None:
                if other.pk in seen:
                    raise ValidationError({field: "That would make a loop of works."})
                seen.add(other.pk)
                other = getattr(other, field)

    def essays_about(self):
        """
        The published essays that are chapters of this work, that an editor
        ticked as discussing it (`discusses`) or that name it (`named`, an
        accepted mention), newest first, each with its section: one query.
        Reached through the reverse relations, since works knows nothing of
        essays.
        """
        essays = self.essays_in.model.objects
        ticked = self.essays.through.objects.filter(work=self)
        named = self.mentions.accepted().order_by()
        # Each kind of id comes from an index; an OR of the conditions on
        # the essays themselves would read every essay.
        ids = ticked.values("essay_id").union(
            essays.filter(part_of=self).order_by().values("pk"), named.values("essay_id")
        )
        return (
            essays.published()
            .filter(pk__in=ids)
            .annotate(
                discusses=models.Exists(ticked.filter(essay=models.OuterRef("pk"))),
                named=models.Exists(named.filter(essay=models.OuterRef("pk"))),
            )
            .select_related("section")
            .only(
                "title",
                "slug",
                "summary",
                "published_at",
                "part_of_id",
                "section__title",
                "section__slug",
            )  # fmt: skip
            .order_by("-published_at", "-pk")
        )

    @property
    def year(self):
        return self.year_published or self.year_written

    @property
    def written(self):
        if not self.year_written:
            return ""
        if self.year_written_end and self.year_written_end != self.year_written:
            return f"{self.year_written}–{self.year_written_end}"
        return str(self.year_written)

    @property
    def original_language_name(self):
        # Django knows the English names of the languages it is translated into;
        # for a rarer code the code itself is shown.
        info = LANG_INFO.get(self.original_language) or LANG_INFO.get(
            self.original_language.split("-")[0], {}
        )
        return info.get("name", self.original_language)

    @property
    def full_title(self):
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    # The methods below read the work's contributions (with their people):
    # prefetch "contributions__person", or each call costs a query per
    # contributor. Contribution.objects.to_works_of() hands them over instead,
    # for many works at once.

    def all_contributions(self):
        given = self.__dict__.get("given_contributions")
        return self.contributions.all() if given is None else given

    def people_in_role(self, role):
        return [c.person for c in self.all_contributions() if c.role == role]

    @property
    def authors(self):
        return self.people_in_role(Contribution.Role.AUTHOR)

    def contributors_by_role(self):
        """[(role label, [people]), ...] in the order of Contribution.Role."""
        groups = []
        for role in Contribution.Role:
            people = self.people_in_role(role)
            if people:
                label = role.label if len(people) == 1 else Contribution.ROLE_PLURALS[role]
                groups.append((label, people))
        return groups

    def csl_item(self, base_url=""):
        """The one citation record of this work, as CSL-JSON (works/citation.py)."""
        return citation.csl_item(self, base_url)

    def citation(self):
        """The Chicago bibliography entry as plain text, from csl_item()."""
        return styles.render_text(self.csl_item(), styles.STYLES[0])

    def citation_meta(self, page_url=""):
        """(name, content) pairs for Highwire Press <meta> tags, read by Zotero and Scholar."""
        return tags.highwire(self.csl_item(), page_url=page_url)

    def coins(self):
        """An OpenURL ContextObject, the title of a COinS <span class="Z3988">."""
        return tags.coins(self.csl_item())

    def json_ld(self, *, absolute_uri=None):
        """schema.org Book (or Chapter, Article, CreativeWork) for the work page."""
        absolute_uri = absolute_uri or (lambda path: path)
        return citation.json_ld(self, self.csl_item(), absolute_uri=absolute_uri)

    # Search (see search.registry): a work is offered while typing in the box.
    search_kind = "work"
    search_suggest = True

    def search_document(self):
        contributors = [contribution.person.name for contribution in self.all_contributions()]
        year = self.year_published or self.year_written
        return {
            "title": self.title,
            "other_names": " ".join(filter(None, [self.original_title, *contributors])),
            "summary": self.subtitle,
            "body": search_index.plain_text(self.notes_html) or self.notes,
            "names": search_index.name_list(
                self.title, self.original_title, f"{self.title} {self.subtitle}"
            ),
            "meta": " · ".join(filter(None, [", ".join(contributors), str(year or "")])),
            "decade": search_index.decade(year),
        }


class ContributionQuerySet(models.QuerySet):
    def to_works_of(self, person):
        """
        The person's contributions in the order of their page: by year (first
        publication, else the year written; undated last), then title. Each
        carries its work, the book that work is part of, and every
        contributor of the work (work.all_contributions()), for its citation.
        One query, whatever the number of works and contributors.
        """
        rows = list(
            self.filter(work__in=Contribution.objects.filter(person=person).values("work"))
            .select_related("work", "work__part_of", "person")
            # Citations and the timeline never read the notes, which can be long.
            .defer("work__notes", "work__notes_html", "work__part_of__notes")
            .defer("work__part_of__notes_html", "person__biography", "person__biography_html")
            .annotate(year=Coalesce("work__year_published", "work__year_written"))
            .order_by("work_id", "order", "pk")
        )
        by_work = {}
        for row in rows:
            by_work.setdefault(row.work_id, []).append(row)
        own = [row for row in rows if row.person_id == person.pk]
        for row in own:
            row.work.given_contributions = by_work[row.work_id]
        return sorted(own, key=lambda c: (c.year is None, c.year or 0, c.work.title.lower(), c.pk))


class Contribution(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        EDITOR = "editor", "Editor"
        TRANSLATOR = "translator", "Translator"
        INTRODUCTION = "introduction", "Introduction"
        AFTERWORD = "afterword", "Afterword"

    ROLE_PLURALS = {
        Role.AUTHOR: "Authors",
        Role.EDITOR: "Editors",
        Role.TRANSLATOR: "Translators",
        Role.INTRODUCTION: "Introductions",
        Role.AFTERWORD: "Afterwords",
    }
    # Headings on a person's page: the works they wrote, translated...
    ROLE_HEADINGS = {
        Role.AUTHOR: "As author",
        Role.EDITOR: "As editor",
        Role.TRANSLATOR: "As translator",
        Role.INTRODUCTION: "Introductions",
        Role.AFTERWORD: "Afterwords",
    }

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="contributions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contributions")
    role = models.CharField(max_length=12, choices=Role, default=Role.AUTHOR)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "person", "role"],
                name="contribution_unique_role",
                violation_error_message="This person is already listed in that role.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    role__in=["author", "editor", "translator", "introduction", "afterword"]
                ),
                name="contribution_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        search_index.update_for(self.work)
        versions.record(self.work)
        # An author named beside a common-word title marks it as meant.
        mentions.names_changed([self.work.title, self.work.original_title])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        search_index.update_for(self.work)
        versions.record(self.work)
        mentions.names_changed([self.work.title, self.work.original_title])
        return result


# Every save keeps a version (sergesite/versions.py), with the contributors.
versions.register(Work, parts={Contribution: "Contributors"})
