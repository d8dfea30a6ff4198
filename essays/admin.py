from urllib.parse import unquote

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

# sergesite is not an app the admin searches: this registers its Redirect admin.
import sergesite.redirects_admin  # noqa: F401
from people.models import Person
from search.admin import SearchAdminMixin
from sergesite import redirects
from sergesite.admin_safety import EditSafetyMixin
from sergesite.versions_admin import HistoryAdmin

from . import mentions
from .admin_import import import_urls
from .mention_admin import MentionInline, never_link
from .models import Essay, Mention, Section

MARKDOWN_WIDGET = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


@admin.register(Section)
class SectionAdmin(EditSafetyMixin, HistoryAdmin):
    list_display = ["title", "slug", "menu_order", "show_in_menu", "essay_count"]
    list_editable = ["menu_order", "show_in_menu"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = MARKDOWN_WIDGET
    fields = ["title", "slug", "menu_order", "show_in_menu", "intro"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(essay_total=Count("essays"))

    @admin.display(description="essays", ordering="essay_total")
    def essay_count(self, section):
        return section.essay_total


class OrderedAutocomplete(AutocompleteSelectMultiple):
    """Shows the chosen people in the order chosen (the order essays credit them in)."""

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        place = {str(v): i for i, v in enumerate(value)}
        for _, options, _ in groups:
            options.sort(key=lambda option: place.get(str(option["value"]), len(place)))
        return groups


class EssayForm(forms.ModelForm):
    """The essay's fields, its authors in order, and the old addresses that redirect to it."""

    author_people = forms.ModelMultipleChoiceField(
        Person.objects.all(),
        label="Authors",
        required=False,
        widget=OrderedAutocomplete(Essay._meta.get_field("authors"), admin.site),
        help_text="In the order they are credited. Leave empty when the site's own author "
        "wrote it (Site settings). An organisation such as “The editors” is a person "
        "with “organisation” ticked.",
    )

    old_addresses = forms.CharField(
        label="Old addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Addresses this essay had before, one per line, such as /serge.html. "
        "Visitors to them are sent here. Changing the slug adds the old address by itself.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_old_addresses = (
            redirects.old_addresses(self.instance) if self.instance.pk else []
        )
        self.initial["old_addresses"] = "\n".join(self.stored_old_addresses)
        if self.instance.pk:
            self.initial["author_people"] = [
                credit.person_id for credit in self.instance.essay_authors.all()
            ]

    def ordered_authors(self):
        # The chosen people come back as a query, in no order: the form data keeps it.
        chosen = {str(person.pk): person for person in self.cleaned_data["author_people"]}
        posted = self.data.getlist(self.add_prefix("author_people")) if self.data else []
        return [chosen[pk] for pk in dict.fromkeys(posted) if pk in chosen]

    def clean_old_addresses(self):
        paths, problems = [], []
        for line in self.cleaned_data["old_addresses"].splitlines():
            if not line.strip():
                continue
            try:
                path = redirects.normalise_path(line)
            except ValidationError as error:
                problems.extend(error.messages)
                continue
            if path not in paths:
                paths.append(path)
        if problems:
            raise ValidationError(problems)
        return paths

    def clean(self):
        cleaned = super().clean()
        paths, slug = cleaned.get("old_addresses"), cleaned.get("slug")
        if not paths or not slug:
            return cleaned
        # The instance still has the slug it was loaded with: redirects to
        # that address are this essay's.
        current = self.instance.get_absolute_url() if self.instance.pk else None
        problems = [
            f"{path} already leads to {target}."
            for path, target in Redirect.objects.filter(
                site_id=settings.SITE_ID, old_path__in=paths
            )
            .exclude(new_path=current)
            .values_list("old_path", "new_path")
        ]
        own = unquote(Essay(slug=slug).get_absolute_url())
        problems += [f"{path} is this essay's own address." for path in paths if path == own]
        if problems:
            self.add_error("old_addresses", problems)
        return cleaned

    def save_old_addresses(self):
        # Only what the editor added or took away: a redirect that saving
        # the essay just made (a new slug) is not in either list.
        wanted, stored = self.cleaned_data["old_addresses"], self.stored_old_addresses
        for path in stored:
            if path not in wanted:
                redirects.remove_old_address(path, self.instance)
        for path in wanted:
            if path not in stored:
                redirects.add_old_address(path, self.instance)


@admin.register(Essay)
class EssayAdmin(EditSafetyMixin, SearchAdminMixin, HistoryAdmin):
    form = EssayForm
    search_kind = "essay"
    list_display = ["title", "section", "status", "published_at", "updated_at", "is_public"]
    list_filter = ["status", "section", "tags"]
    list_select_related = ["section"]
    search_fields = ["title", "slug", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["part_of", "people", "works"]
    formfield_overrides = MARKDOWN_WIDGET
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    inlines = [MentionInline]
    list_per_page = 50
    # The admin's "View on site" goes through get_absolute_url; staff see
    # drafts there as a marked preview, so it works before publishing too.
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "author_people", "summary"]}),
        ("Text", {"fields": ["body"]}),
        (
            "Publishing",
            {
                "fields": ["status", "published_at", ("created_at", "updated_at")],
                "description": "Readers see an essay once it is published and its "
                "date has come. A published essay with no date is given today's.",
            },
        ),
        (
            "What it discusses",
            {"fields": ["tags", "part_of", "people", "works"]},
        ),
        ("Old addresses", {"fields": ["old_addresses"], "classes": ["collapse"]}),
    ]

    def get_urls(self):
        return [*import_urls(self), *super().get_urls()]

    def save_model(self, request, obj, form, change):
        # SearchAdminMixin.save_related() writes the search document once the
        # tags and people are saved; writing it here as well would be wasted.
        obj.save(index=False)

    def get_inlines(self, request, obj):
        # A new essay has no mentions yet: they are found when it is saved.
        return self.inlines if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not Mention:
            return super().save_formset(request, form, formset, change)
        # Only the decision is written: saving the whole row would put back
        # the place and context the essay's own save has just brought up to date.
        never = []
        # What the admin's history message reads from a saved formset.
        formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed() or row.instance.pk is None:
                continue
            formset.changed_objects.append((row.instance, row.changed_data))
            if "status" in row.changed_data:
                chosen = Mention.objects.filter(pk=row.instance.pk)
                if row.cleaned_data.get("everywhere"):
                    mention = row.instance
                    chosen = form.instance.mentions.filter(
                        phrase=mention.phrase, person=mention.person_id, work=mention.work_id
                    )
                chosen.decide(row.cleaned_data["status"])
                form.instance.mentions_decided = True
            if row.cleaned_data.get("never_link"):
                never.append(row.instance.phrase)
        if never:
            never_link(never)

    def save_related(self, request, form, formsets, change):
        # Before the search index and the version read the essay back.
        form.instance.set_authors(form.ordered_authors())
        super().save_related(request, form, formsets, change)
        form.save_old_addresses()
        if getattr(form.instance, "mentions_decided", False):
            mentions.rescan([form.instance])

    @admin.display(description="visible to readers", boolean=True)
    def is_public(self, essay):
        return essay.is_public

    @admin.action(description="Publish the selected essays")
    def publish(self, request, queryset):
        now = timezone.now()
        # Scheduled essays keep their date; undated ones are published now.
        undated = queryset.filter(published_at__isnull=True).update(
            status=Essay.Status.PUBLISHED, published_at=now
        )
        dated = queryset.exclude(status=Essay.Status.PUBLISHED).update(
            status=Essay.Status.PUBLISHED
        )
        self.message_user(request, f"Published {undated + dated} essays.", messages.SUCCESS)

    @admin.action(description="Return the selected essays to draft")
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Essay.Status.PUBLISHED).update(status=Essay.Status.DRAFT)
        self.message_user(request, f"Returned {count} essays to draft.", messages.SUCCESS)
