from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from markdownx.models import MarkdownxField

from people.models import Person
from sergesite.markup import render_markdown

YEAR_VALIDATORS = [MinValueValidator(1), MaxValueValidator(2100)]


class WorkQuerySet(models.QuerySet):
    def with_year(self):
        """Annotate `sort_year`: first publication, or the year written when never published."""
        return self.annotate(sort_year=Coalesce("year_published", "year_written"))

    def by(self, person):
        return self.filter(contributions__person=person).distinct()


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
        max_length=200, unique=True, help_text="The web address: /works/<slug>/. Keep it stable."
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_written_end__isnull=True)
                | models.Q(
                    year_written__isnull=False, year_written_end__gte=models.F("year_written")
                ),
                name="work_written_range_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(part_of=models.F("pk")), name="work_not_part_of_itself"
            ),
            models.CheckConstraint(
                condition=~models.Q(translation_of=models.F("pk")),
                name="work_not_translation_of_itself",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.notes_html = render_markdown(self.notes)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("works:detail", kwargs={"slug": self.slug})

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


class Contribution(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        EDITOR = "editor", "Editor"
        TRANSLATOR = "translator", "Translator"
        INTRODUCTION = "introduction", "Introduction"
        AFTERWORD = "afterword", "Afterword"

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="contributions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contributions")
    role = models.CharField(max_length=12, choices=Role, default=Role.AUTHOR)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "person", "role"], name="contribution_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"
