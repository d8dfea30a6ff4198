import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from markdownx.models import MarkdownxField
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from people.models import Person
from search import index as search_index
from sergesite import redirects, versions
from sergesite.markup import render, render_markdown
from sergesite.prepared import Prepared
from sergesite.url_cache import slug_address
from siteinfo.models import SiteSettings
from works.models import Contribution, Work

from . import citation

# The mention models live in their own module; callers import them from here.
from .mention_models import Mention, UnlinkedPhrase

__all__ = ["Essay", "EssayQuerySet", "Mention", "Section", "SectionQuerySet", "UnlinkedPhrase"]

# Essays with at least this many headings get a table of contents.
TOC_MIN_HEADINGS = 3


class SectionQuerySet(models.QuerySet):
    def in_menu(self):
        return self.filter(show_in_menu=True)


class Section(models.Model):
    title = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The last part of the section's address, as in /sections/books/.",
    )
    menu_order = models.PositiveSmallIntegerField(
        default=100, help_text="Lower numbers come first in the menu."
    )
    show_in_menu = models.BooleanField(default=True)
    intro = MarkdownxField(blank=True, help_text="Markdown shown at the top of the section page.")
    intro_html = models.TextField(blank=True, editable=False)
    # The admin compares it on save so that two editors cannot overwrite each other.
    updated_at = models.DateTimeField(auto_now=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.intro_html = render_markdown(self.intro)
        with redirects.tracking_address(self):
            super().save(*args, **kwargs)
        versions.record(self)

    def get_absolute_url(self):
        return slug_address("essays:section", self.slug)


class EssayQuerySet(models.QuerySet):
    def published(self):
        # A query-time filter: an essay dated in the future appears by itself
        # when its date comes, with no scheduled job.
        return self.filter(status=Essay.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_neighbours(self):
        """
        Each essay with the title and slug of the published essays just
        before and after it in its section (see Essay.neighbours), read in
        the essay's own query: four subqueries of one row each, which the
        (section, status, published_at, id) index answers without a scan.
        """
        siblings = (
            Essay.objects.published()
            .filter(section_id=models.OuterRef("section_id"))
            .exclude(pk=models.OuterRef("pk"))
        )
        moment, pk = models.OuterRef("published_at"), models.OuterRef("pk")
        # The plain bound before the tie-break lets the index start its walk at
        # this essay's date; without it PostgreSQL walked every later essay.
        earlier = siblings.filter(
            models.Q(published_at__lt=moment) | models.Q(published_at=moment, pk__lt=pk),
            published_at__lte=moment,
        ).order_by("-published_at", "-pk")
        later = siblings.filter(
            models.Q(published_at__gt=moment) | models.Q(published_at=moment, pk__gt=pk),
            published_at__gte=moment,
        ).order_by("published_at", "pk")
        return self.annotate(
            previous_title=models.Subquery(earlier.values("title")[:1]),
            previous_slug=models.Subquery(earlier.values("slug")[:1]),
            next_title=models.Subquery(later.values("title")[:1]),
            next_slug=models.Subquery(later.values("slug")[:1]),
        )

    def next_publication(self):
        """When the next essay scheduled for the future goes live, or None."""
        scheduled = self.filter(status=Essay.Status.PUBLISHED, published_at__gt=timezone.now())
        return scheduled.aggregate(moment=models.Min("published_at"))["moment"]

    def for_listing(self):
        # Lists show titles, dates, summaries and authors: the bodies can be long.
        return (
            self.select_related("section")
            .defer("body", "body_html", "toc")
            .prefetch_related(
                models.Prefetch("essay_authors", EssayAuthor.objects.select_related("person"))
            )
        )

    def for_search_index(self):
        return self.select_related("section").prefetch_related(*Essay.search_prefetch())

    def with_search_names_of(self, obj):
        # An essay's document carries the names of the people it discusses
        # or mentions (accepted mentions only).
        if not isinstance(obj, Person):
            return self.none()
        return self.filter(
            models.Q(people=obj)
            | models.Q(mentions__person=obj, mentions__status=Mention.Status.ACCEPTED)
        )


class Essay(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text="The last part of the essay's address, as in /essays/serges-novels/. "
        "Citations quote it: if you change it after publishing, the old address "
        "redirects here.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="essays")
    authors = models.ManyToManyField(
        Person,
        through="EssayAuthor",
        blank=True,
        related_name="essays_written",
        help_text="In the order they are credited. Leave empty when the site's own author "
        "wrote it (see Site settings).",
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
        indexes = [
            # A section's list and an essay's neighbours in it.
            models.Index(
                fields=["section", "status", "published_at", "id"], name="essay_section_dates"
            ),
            # The home page, the feeds and the sitemap: all published essays by date.
            models.Index(fields=["status", "published_at", "id"], name="essay_dates"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="essay_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, index=True, **kwargs):
        """
        index=False: the caller writes the search document itself once the
        tags are saved too (the importer), instead of writing it twice.
        """
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.render_body()
        with redirects.tracking_address(self):
            super().save(*args, **kwargs)
        self.scan_mentions()
        if index:
            search_index.update_for(self)
        versions.record(self)

    def get_absolute_url(self):
        return slug_address("essays:detail", self.slug)

    def delete(self, *args, **kwargs):
        search_index.remove_for(self)
        return super().delete(*args, **kwargs)

    def render_body(self, rendered=None):
        """
        Fill body_html and the table of contents from the Markdown body.
        rendered: render(body, anchors=True) done already (the importer renders
        a batch's bodies in worker processes).
        """
        rendered = rendered or render(self.body, anchors=True)
        self.body_html = rendered.html
        self.toc = rendered.toc if rendered.heading_count >= TOC_MIN_HEADINGS else []

    def scan_mentions(self):
        """Find the people and works the text names, keep editors' decisions, link them."""
        # Imported here: essays.mentions builds on these models.
        from .mentions import scan

        scan(self)

    def clean(self):
        # Also done in save(), but forms check the constraint before saving.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def load_links(self):
        """
        Everyone and everything the essay page links, in three queries
        however many there are: the people (its authors, those an editor
        ticked or the text names in an accepted mention, and the authors of
        the book it is a chapter of), the works (ticked or named) and the
        tags, unless they were prefetched. Afterwards author_list(),
        people_in_essay(), works_in_essay(), tags.all() and the book's
        authors read no more. The queries' SQL is built once per process
        (see _linked_people below).
        """
        self.linked_people = list(_LINKED_PEOPLE(essay=self.pk, book=self.part_of_id))
        self.linked_works = list(_LINKED_WORKS(essay=self.pk))
        # What essay.people.all() and essay.works.all() would fetch again (the
        # JSON-LD reads them), in the models' own order, as prefetch_related
        # leaves them.
        cache = self.__dict__.setdefault("_prefetched_objects_cache", {})
        # And its tags, in the order they were given, as essay.tags.all() has them.
        if "tags" not in cache:
            essays = ContentType.objects.get_for_model(Essay).pk
            cache["tags"] = list(_TAGS(essay=self.pk, content_type=essays))
        cache["people"] = sorted(
            (p for p in self.linked_people if p.ticked), key=lambda p: (p.sort_name.lower(), p.pk)
        )
        cache["works"] = sorted(
            (w for w in self.linked_works if w.ticked), key=lambda w: (w.title.lower(), w.pk)
        )
        if self.part_of_id:
            # What book.authors reads (Work.all_contributions), in credit order.
            in_book = [p for p in self.linked_people if p.book_order is not None]
            in_book.sort(key=lambda p: (p.book_order, p.book_credit_id))
            self.part_of.given_contributions = [
                Contribution(
                    pk=p.book_credit_id, work=self.part_of, person=p,
                    role=Contribution.Role.AUTHOR, order=p.book_order,
                )
                for p in in_book
            ]  # fmt: skip

    def _links_loaded(self):
        if "linked_people" not in self.__dict__:
            self.load_links()

    def people_in_essay(self):
        """The people an editor ticked, and those the text names (accepted mentions)."""
        self._links_loaded()
        people = [p for p in self.linked_people if p.ticked or p.named]
        return sorted(people, key=lambda person: (person.sort_name.casefold(), person.pk))

    def works_in_essay(self):
        """The works an editor ticked, and those the text names (accepted mentions)."""
        self._links_loaded()
        return sorted(self.linked_works, key=lambda w: (w.title.casefold(), w.pk))

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def author_list(self):
        """
        The essay's authors in order, or the site's author when it names none.
        Reads what load_links() read, or else essay_authors.all(): prefetch
        "essay_authors__person".
        """
        if "linked_people" in self.__dict__:  # load_links() was called
            credited = [p for p in self.linked_people if p.credit_order is not None]
            authors = sorted(credited, key=lambda p: (p.credit_order, p.credit_id))
        else:
            authors = [credit.person for credit in self.essay_authors.all()]
        return authors or [SiteSettings.current().site_author]

    def set_authors(self, people):
        """Credit these people, in this order (the one place authors are written)."""
        people = list(dict.fromkeys(people))
        if [c.person_id for c in self.essay_authors.all()] == [p.pk for p in people]:
            return
        self.essay_authors.all().delete()
        EssayAuthor.objects.bulk_create(
            EssayAuthor(essay=self, person=person, order=order)
            for order, person in enumerate(people)
        )
        if hasattr(self, "_prefetched_objects_cache"):
            self._prefetched_objects_cache.pop("essay_authors", None)

    def author_names(self):
        """["Victor Serge", ...]: the names as shown, for bylines and feeds."""
        return [person.name for person in self.author_list()]

    @property
    def byline(self):
        names = self.author_names()
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def csl_item(self, base_url):
        """The one citation record of this essay, as CSL-JSON (essays/citation.py)."""
        return citation.csl_item(self, base_url)

    @property
    def was_revised(self):
        # Fixing a typo the same day is not a revision worth showing readers,
        # nor is entering an essay that first appeared years ago.
        if self.published_at is None:
            return False
        first_seen = max(self.published_at, self.created_at)
        return self.updated_at - first_seen > datetime.timedelta(days=1)

    NEIGHBOUR_FIELDS = ("previous_title", "previous_slug", "next_title", "next_slug")

    def neighbours(self):
        """The published essays just before and after this one in its section,
        as (previous, next), each with a title and a slug, or None. Free on an
        essay fetched with EssayQuerySet.with_neighbours(); one query otherwise."""
        if self.published_at is None:
            return None, None
        if not hasattr(self, "previous_slug"):
            found = (
                Essay.objects.with_neighbours().filter(pk=self.pk).values(*self.NEIGHBOUR_FIELDS)
            )
            for name, value in found.get().items():
                setattr(self, name, value)
        return tuple(
            Essay(title=getattr(self, f"{side}_title"), slug=getattr(self, f"{side}_slug"))
            if getattr(self, f"{side}_slug")
            else None
            for side in ("previous", "next")
        )

    # Search (see search.registry).
    search_kind = "essay"

    @staticmethod
    def search_prefetch():
        """What search_document() reads besides the essay and its section."""
        accepted = Mention.objects.accepted().filter(person__isnull=False)
        return [
            "tags",
            models.Prefetch("essay_authors", EssayAuthor.objects.select_related("person")),
            models.Prefetch("people", Person.objects.prefetch_related("other_names")),
            models.Prefetch(
                "mentions",
                accepted.select_related("person").prefetch_related("person__other_names"),
                to_attr="accepted_person_mentions",
            ),
        ]

    def search_people_names(self):
        """
        The names of the people the essay discusses (ticked by an editor) or
        mentions (accepted mentions), each person once: an essay that
        mentions Serge is then found by "Kibalchich".
        """
        if not hasattr(self, "accepted_person_mentions"):  # not from for_search_index()
            models.prefetch_related_objects([self], *self.search_prefetch())
        people = {person.pk: person for person in self.people.all()}
        for mention in self.accepted_person_mentions:
            people.setdefault(mention.person_id, mention.person)
        ordered = sorted(people.values(), key=lambda person: (person.sort_name, person.pk))
        return list(dict.fromkeys(name for p in ordered for name in p.search_names()))

    def search_document(self):
        names = self.search_people_names()
        tags = sorted((tag.name, tag.slug) for tag in self.tags.all())
        published = self.published_at
        return {
            "title": self.title,
            # Weighted below the title, like a person's other names.
            "other_names": " · ".join(
                filter(None, [*(c.person.name for c in self.essay_authors.all()), *names])
            ),
            "summary": self.summary,
            "body": search_index.plain_text(self.body_html) or self.body,
            "tags": " ".join(name for name, _ in tags),
            "tag_slugs": "|" + "|".join(slug for _, slug in tags) + "|" if tags else "",
            "names": search_index.name_list(self.title),
            "meta": self.section.title,
            "section": self.section.slug,
            "section_title": self.section.title,
            "decade": search_index.decade(published.year if published else None),
            "is_published": self.status == self.Status.PUBLISHED,
            "published_at": published,
        }


class EssayAuthor(models.Model):
    """One author of an essay, in order: a person, or an organisation (Person.is_organisation)."""

    essay = models.ForeignKey(Essay, on_delete=models.CASCADE, related_name="essay_authors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="essay_credits")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["essay", "person"],
                name="essay_author_once",
                violation_error_message="This person is already an author of the essay.",
            ),
        ]

    def __str__(self):
        return str(self.person)


# Every save keeps a version (sergesite/versions.py); an essay's tags go with it.
versions.register(Section)
versions.register(Essay, parts={TaggedItem: "Tags"})


# The essay page's two link queries (Essay.load_links). Each id comes from an
# index of its own link table (a UNION), so neither reads more than the
# essay's rows. Compiling them took the ORM about 6 ms a page, running them
# PostgreSQL 1 ms: their SQL is built once per process (sergesite/prepared.py).
def _linked_people(essay, book):
    credits = EssayAuthor.objects.filter(essay=essay)
    ticked = Essay.people.through.objects.filter(essay=essay)
    named = Mention.objects.accepted().filter(essay=essay)
    sources = [credits, ticked, named.filter(person__isnull=False)]
    book_credits = Contribution.objects.filter(work=book, role=Contribution.Role.AUTHOR)
    if book is not None:
        sources.append(book_credits)
    ids = sources[0].values("person_id").union(*(s.values("person_id") for s in sources[1:]))
    person = models.OuterRef("pk")
    people = Person.objects.filter(pk__in=ids).annotate(
        credit_order=models.Subquery(credits.filter(person=person).values("order")[:1]),
        credit_id=models.Subquery(credits.filter(person=person).values("pk")[:1]),
        ticked=models.Exists(ticked.filter(person=person)),
        named=models.Exists(named.filter(person=person)),
    )
    if book is not None:
        mine = book_credits.filter(person=person)
        people = people.annotate(
            book_order=models.Subquery(mine.values("order")[:1]),
            book_credit_id=models.Subquery(mine.values("pk")[:1]),
        )
    return people.defer("biography", "biography_html")


def _linked_works(essay):
    named = Mention.objects.accepted().filter(essay=essay, work__isnull=False)
    ticked = Essay.works.through.objects.filter(essay=essay)
    ids = ticked.values("work_id").union(named.values("work_id"))
    return (
        Work.objects.filter(pk__in=ids)
        .annotate(ticked=models.Exists(ticked.filter(work=models.OuterRef("pk"))))
        .defer("notes", "notes_html")
    )


def _tags(essay, content_type):
    items = "taggit_taggeditem_items"
    return Tag.objects.filter(
        **{f"{items}__object_id": essay, f"{items}__content_type": content_type}
    ).order_by(f"{items}__pk")


_LINKED_PEOPLE = Prepared(Person, _linked_people)
_LINKED_WORKS = Prepared(Work, _linked_works)
_TAGS = Prepared(Tag, _tags)
