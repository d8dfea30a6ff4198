import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager

from people.models import Person
from search import index as search_index
from sergesite import redirects
from sergesite.markup import render, render_markdown
from works.models import Work

# Essays with at least this many headings get a table of contents.
TOC_MIN_HEADINGS = 3


class SectionQuerySet(models.QuerySet):
    def in_menu(self):
        return self.filter(show_in_menu=True)


class Section(models.Model):
    title = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The web address: /sections/<slug>/."
    )
    menu_order = models.PositiveSmallIntegerField(
        default=100, help_text="Lower numbers come first in the menu."
    )
    show_in_menu = models.BooleanField(default=True)
    intro = MarkdownxField(blank=True, help_text="Markdown shown at the top of the section page.")
    intro_html = models.TextField(blank=True, editable=False)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.intro_html = render_markdown(self.intro)
        with redirects.tracking_address(self):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("essays:section", kwargs={"slug": self.slug})


class EssayQuerySet(models.QuerySet):
    def published(self):
        # A query-time filter: an essay dated in the future appears by itself
        # when its date comes, with no scheduled job.
        return self.filter(status=Essay.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        # Lists show titles, dates and summaries: the bodies can be long.
        return self.select_related("section").defer("body", "body_html", "toc")


class Essay(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text="The web address: /essays/<slug>/. Links and citations rely on it: "
        "do not change it once published.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="essays")
    author = models.CharField(
        max_length=200, blank=True, help_text="Leave blank when the site's own author wrote it."
    )
    summary = models.TextField(
        blank=True, help_text="Two or three plain sentences for lists, feeds and search results."
    )
    body = MarkdownxField(help_text="Markdown. Use ## for headings and [^1] for footnotes.")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    tags = TaggableManager(blank=True, help_text="Comma-separated. Case does not matter.")

    status = models.CharField(max_length=9, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="Readers see the essay from this moment. A future date schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    part_of = models.ForeignKey(
        Work,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="essays_in",
        help_text="The book this essay is a chapter of, if any.",
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="essays", help_text="The people this essay discusses."
    )
    works = models.ManyToManyField(
        Work, blank=True, related_name="essays", help_text="The works this essay discusses."
    )
    import_source = models.CharField(
        max_length=500,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Where an import took this essay from: its old address, or the file's "
        "path when it had none. Importing the same source again updates this essay.",
    )

    objects = EssayQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="essay_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        rendered = render(self.body)
        self.body_html = rendered.html
        self.toc = rendered.toc if rendered.heading_count >= TOC_MIN_HEADINGS else []
        with redirects.tracking_address(self):
            super().save(*args, **kwargs)
        search_index.update_for(self)

    def get_absolute_url(self):
        return reverse("essays:detail", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        search_index.remove_for(self)
        return super().delete(*args, **kwargs)

    def clean(self):
        # Also done in save(), but forms check the constraint before saving.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def byline(self):
        return self.author or settings.SITE_AUTHOR

    @property
    def was_revised(self):
        # Fixing a typo the same day is not a revision worth showing readers,
        # nor is entering an essay that first appeared years ago.
        if self.published_at is None:
            return False
        first_seen = max(self.published_at, self.created_at)
        return self.updated_at - first_seen > datetime.timedelta(days=1)

    def neighbours(self):
        """The published essays just before and after this one in its section:
        two small queries."""
        if self.published_at is None:
            return None, None
        siblings = (
            Essay.objects.published()
            .filter(section_id=self.section_id)
            .exclude(pk=self.pk)
            .only("title", "slug")
        )
        same_moment = models.Q(published_at=self.published_at)
        earlier = siblings.filter(
            models.Q(published_at__lt=self.published_at) | same_moment & models.Q(pk__lt=self.pk)
        ).order_by("-published_at", "-pk")
        later = siblings.filter(
            models.Q(published_at__gt=self.published_at) | same_moment & models.Q(pk__gt=self.pk)
        ).order_by("published_at", "pk")
        return earlier.first(), later.first()


class MentionQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Mention.Status.ACCEPTED)

    def to_review(self):
        return self.filter(status=Mention.Status.PROPOSED)


class Mention(models.Model):
    """
    One place in an essay's text that names a known person or work. Found by
    the detector on save, import or rescan; an editor's decision (accepted or
    rejected) outlives rescans of the same essay.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "To review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    phrase = models.CharField(max_length=300, help_text="The words as the essay writes them.")
    anchor = models.CharField(
        max_length=40, blank=True, help_text="The id of the paragraph the mention is in."
    )
    position = models.PositiveIntegerField(help_text="Where the phrase starts in the body.")
    context = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=8, choices=Status, default=Status.PROPOSED)
    # Set when the phrase could name more than one known person or work: such
    # a mention is never linked until an editor picks the right one.
    ambiguous = models.BooleanField(default=False)
    decided_by_editor = models.BooleanField(
        default=False, help_text="Accepted or rejected by an editor rather than by default."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["essay", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, work__isnull=True)
                | models.Q(person__isnull=True, work__isnull=False),
                name="mention_names_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["proposed", "accepted", "rejected"]),
                name="mention_status_valid",
            ),
            models.UniqueConstraint(
                fields=["essay", "person", "position"], name="mention_person_once_per_place"
            ),
            models.UniqueConstraint(
                fields=["essay", "work", "position"], name="mention_work_once_per_place"
            ),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="mention_person_status"),
            models.Index(fields=["work", "status"], name="mention_work_status"),
        ]

    def __str__(self):
        return f"{self.phrase} in {self.essay}"

    @property
    def target(self):
        return self.person or self.work


class UnlinkedPhrase(models.Model):
    """A phrase editors never want linked, such as a common word that is also a title."""

    phrase = models.CharField(max_length=300, unique=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase
