from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from essays.demo.essays import ESSAYS
from essays.demo.people import PEOPLE
from essays.demo.sections import SECTIONS
from essays.demo.site import SITE
from essays.demo.works import WORKS
from essays.models import Essay, Section
from people.models import DatePrecision, OtherName, Person
from sergesite import redirects
from siteinfo.models import SiteSettings
from works.models import Contribution, Work

# The order the summary lists them in.
MODELS = [Section, Person, Work, Essay]


class Command(BaseCommand):
    help = (
        "Load the demo sections, people, works and essays (the data is in essays/demo/). "
        "Records are matched by slug: running it again adds only what is missing and "
        "leaves editors' changes alone, unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put demo records that editors have changed back as the demo data has them.",
        )

    def handle(self, *args, reset=False, **options):
        # `make run` calls this on every start, so by default an existing
        # record is the editor's and is never overwritten.
        self.reset = reset
        self.created = Counter()
        self.updated = Counter()
        # All or nothing: a mistake in the demo data leaves the database as it was.
        with transaction.atomic():
            sections = {data["slug"]: self.load_section(data) for data in SECTIONS}
            people = {data["slug"]: self.load_person(data) for data in PEOPLE}
            works = {}
            for data in WORKS:
                works[data["slug"]] = self.load_work(data, people, works)
            for data in ESSAYS:
                self.load_essay(data, sections, people, works)
            self.load_site(people)
        self.stdout.write(self.style.SUCCESS(self.summary()))

    def load_section(self, data):
        fields = {
            "title": data["title"],
            "menu_order": (SECTIONS.index(data) + 1) * 10,
            "show_in_menu": True,
            "intro": data["intro"],
        }
        section, _ = self.sync(Section, data["slug"], fields)
        return section

    def load_person(self, data):
        born, died = data.get("born"), data.get("died")
        fields = {
            "name": data["name"],
            "sort_name": data["sort_name"],
            "description": data.get("description", ""),
            "biography": data.get("biography", ""),
            "birth_date": born["date"] if born else None,
            "birth_precision": born["precision"] if born else DatePrecision.YEAR,
            "birth_place": data.get("birth_place", ""),
            "death_date": died["date"] if died else None,
            "death_precision": died["precision"] if died else DatePrecision.YEAR,
            "death_place": data.get("death_place", ""),
            "is_organisation": data.get("is_organisation", False),
        }
        person, state = self.sync(Person, data["slug"], fields)
        if self.owns(state) and self.sync_other_names(person, data.get("other_names", [])):
            self.resave(person, state)
        return person

    def load_work(self, data, people, works):
        fields = {
            name: data.get(name, "")
            for name in ("title", "subtitle", "original_title", "original_language", "notes")
        }
        fields.update(
            {
                name: data.get(name)
                for name in (
                    "year_written",
                    "year_written_end",
                    "year_published",
                    "year_published_english",
                )
            }
        )
        fields.update(
            kind=data["kind"],
            date_note=data.get("date_note", ""),
            publisher=data.get("publisher", ""),
            place=data.get("place", ""),
            part_of=self.lookup(works, data.get("part_of"), "work"),
            translation_of=self.lookup(works, data.get("translation_of"), "work"),
        )
        work, state = self.sync(Work, data["slug"], fields)
        if not self.owns(state):
            return work
        credits = [(self.lookup(people, slug, "person"), role) for slug, role in data["credits"]]
        if self.sync_credits(work, credits):
            self.resave(work, state)
        return work

    def load_essay(self, data, sections, people, works):
        fields = {
            "title": data["title"],
            "section": self.lookup(sections, data["section"], "section"),
            "part_of": self.lookup(works, data.get("part_of"), "work"),
            "summary": data["summary"],
            "body": data["body"],
            "status": data["status"],
            "published_at": data["published_at"],
        }
        essay, state = self.sync(Essay, data["slug"], fields)
        if not self.owns(state):
            return
        self.sync_old_addresses(essay, data.get("old_addresses", []))
        links_changed = False
        authors = [self.lookup(people, slug, "person") for slug in data.get("authors", [])]
        if [c.person_id for c in essay.essay_authors.all()] != [p.pk for p in authors]:
            essay.set_authors(authors)
            links_changed = True
        for manager, slugs, known in (
            (essay.people, data["people"], people),
            (essay.works, data["works"], works),
        ):
            wanted = {self.lookup(known, slug, "person or work").pk for slug in slugs}
            if set(manager.values_list("pk", flat=True)) != wanted:
                manager.set(wanted)
                links_changed = True
        # Tags are matched without regard to case, as TAGGIT_CASE_INSENSITIVE does.
        if {name.casefold() for name in essay.tags.names()} != {
            name.casefold() for name in data["tags"]
        }:
            essay.tags.set(data["tags"])
            links_changed = True
        if links_changed:
            self.resave(essay, state)

    def load_site(self, people):
        """The site settings, with the demo's author, unless an editor has saved them."""
        found = SiteSettings.objects.first()
        if found is not None and not self.reset:
            return
        found = found or SiteSettings(name=settings.SITE_NAME)
        found.tagline = SITE["tagline"]
        found.footer_text = SITE["footer_text"]
        found.author = self.lookup(people, SITE["author"], "person")
        found.save()

    def sync(self, model, slug, fields):
        """
        Create the record with this slug or, with --reset, bring it in line with `fields`.
        Saves only when something differs, so an unchanged record keeps its
        updated_at. Returns (record, "created" | "updated" | None).
        """
        record = model.objects.filter(slug=slug).first()
        if record is not None and not self.reset:
            return record, None
        if record is None:
            record, state = model(slug=slug, **fields), "created"
        else:
            changed = {
                name: value for name, value in fields.items() if _differs(record, name, value)
            }
            if not changed:
                return record, None
            for name, value in changed.items():
                setattr(record, name, value)
            state = "updated"
        # Field checks catch a typo in the demo data with a readable message;
        # uniqueness and constraints are left to the database, which checks
        # them anyway, to save a query per constraint.
        try:
            record.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise CommandError(f"Demo {model._meta.verbose_name} {slug!r}: {error}") from None
        record.save()
        (self.created if state == "created" else self.updated)[model] += 1
        return record, state

    def owns(self, state):
        """Whether this run may set the record's related rows (names, credits, links)."""
        return state == "created" or self.reset

    def resave(self, record, state):
        # Saved again after its related rows changed, so that whatever save()
        # derives from them (the search document) sees the new ones.
        record.save()
        if state is None:
            self.updated[type(record)] += 1

    def sync_other_names(self, person, names):
        current = {other.name: other for other in person.other_names.all()}
        changed = False
        for name, kind, note in names:
            other = current.pop(name, None)
            if other is None:
                OtherName.objects.create(person=person, name=name, kind=kind, note=note)
                changed = True
            elif (other.kind, other.note) != (kind, note):
                other.kind, other.note = kind, note
                other.save(update_fields=["kind", "note"])
                changed = True
        if current:
            OtherName.objects.filter(pk__in=[other.pk for other in current.values()]).delete()
            changed = True
        return changed

    def sync_old_addresses(self, essay, paths):
        for path in paths:
            try:
                redirects.add_redirect(path, essay.get_absolute_url(), replace=self.reset)
            except ValidationError as error:
                # Most likely an editor pointed it elsewhere: theirs to keep.
                self.stdout.write(f"Left alone: {' '.join(error.messages)} (--reset takes it).")

    def sync_credits(self, work, credits):
        current = {(c.person_id, c.role): c for c in work.contributions.all()}
        changed = False
        for order, (person, role) in enumerate(credits):
            contribution = current.pop((person.pk, role), None)
            if contribution is None:
                Contribution.objects.create(work=work, person=person, role=role, order=order)
                changed = True
            elif contribution.order != order:
                contribution.order = order
                contribution.save(update_fields=["order"])
                changed = True
        if current:
            Contribution.objects.filter(pk__in=[c.pk for c in current.values()]).delete()
            changed = True
        return changed

    @staticmethod
    def lookup(records, slug, what):
        if slug is None:
            return None
        try:
            return records[slug]
        except KeyError:
            raise CommandError(
                f"The demo data names a {what} {slug!r} that is not defined before it."
            ) from None

    def summary(self):
        def counted(counter):
            return ", ".join(
                f"{counter[model]} {_noun(model, counter[model])}"
                for model in MODELS
                if counter[model]
            )

        parts = []
        if self.created:
            parts.append(f"Loaded {counted(self.created)}")
        if self.updated:
            parts.append(f"{'updated' if parts else 'Updated'} {counted(self.updated)}")
        if not parts:
            return "Nothing to change: the demo content is already loaded."
        return "; ".join(parts) + "."


def _differs(record, name, value):
    field = record._meta.get_field(name)
    if field.is_relation:
        # Compare keys, so that checking a link costs no query.
        return getattr(record, field.attname) != (value.pk if value is not None else None)
    return getattr(record, name) != value


def _noun(model, number):
    return model._meta.verbose_name if number == 1 else model._meta.verbose_name_plural
