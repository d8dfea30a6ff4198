"""
The editors' review of mentions: an inline on the essay's page (its rows and
the save step live in EssayAdmin, which owns the form), the list of every
mention with bulk decisions, and the phrases never to link.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from . import mentions
from .models import Essay, Mention, UnlinkedPhrase

# The detector accepts what it is sure of and proposes the rest. Editors
# decide on the essay's page (one row per mention) or in bulk in the list of
# mentions; every decision outlives rescans, and the essay is linked again.


def _target_link(mention):
    target = mention.target
    if target is None:
        return "-"
    return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)


def never_link(phrases):
    for phrase in phrases:
        UnlinkedPhrase.objects.get_or_create(phrase=phrase)
    # The phrases may be in essays that were not under review: look them up.
    mentions.names_changed(phrases)


class MentionReviewForm(forms.ModelForm):
    everywhere = forms.BooleanField(
        required=False,
        label="all alike",
        help_text="Decide the same for every mention of this phrase and target in the essay.",
    )
    never_link = forms.BooleanField(
        required=False,
        label="never link",
        help_text="Never link this phrase, in any essay.",
    )

    class Meta:
        model = Mention
        fields = ["status"]


class MentionInline(admin.TabularInline):
    model = Mention
    form = MentionReviewForm
    fields = [
        "phrase",
        "target",
        "context",
        "status",
        "everywhere",
        "never_link",
        "ambiguous",
        "decided",
    ]
    readonly_fields = ["phrase", "target", "context", "ambiguous", "decided"]
    extra = 0
    can_delete = False
    verbose_name = "mention of a person or work"
    verbose_name_plural = "people and works the text names (to review first)"

    def get_queryset(self, request):
        # Those waiting for a decision come first.
        return (
            super()
            .get_queryset(request)
            .select_related("person", "work")
            .order_by("-ambiguous", "status", "position")
        )

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="person or work")
    def target(self, mention):
        return _target_link(mention)

    @admin.display(description="by an editor", boolean=True)
    def decided(self, mention):
        return mention.decided_by_editor


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = [
        "phrase",
        "target",
        "essay",
        "status",
        "ambiguous",
        "decided_by_editor",
        "context",
    ]
    list_filter = ["status", "ambiguous", "decided_by_editor"]
    list_select_related = ["essay", "person", "work"]
    search_fields = ["phrase", "essay__title", "person__name", "work__title"]
    fields = ["essay", "phrase", "target", "context", "anchor", "ambiguous", "status"]
    readonly_fields = ["essay", "phrase", "target", "context", "anchor", "ambiguous"]
    actions = ["accept", "reject", "never_link"]
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    @admin.display(description="person or work")
    def target(self, mention):
        return _target_link(mention)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            ids = Mention.objects.filter(pk=obj.pk).decide(obj.status)
            mentions.rescan(Essay.objects.filter(pk__in=ids))

    def _decide(self, request, queryset, status, verb):
        count = queryset.count()
        ids = queryset.decide(status)
        mentions.rescan(Essay.objects.filter(pk__in=ids))
        self.message_user(request, f"{verb} {count} mentions.", messages.SUCCESS)

    @admin.action(description="Accept the selected mentions (link them)")
    def accept(self, request, queryset):
        self._decide(request, queryset, Mention.Status.ACCEPTED, "Accepted")

    @admin.action(description="Reject the selected mentions")
    def reject(self, request, queryset):
        self._decide(request, queryset, Mention.Status.REJECTED, "Rejected")

    @admin.action(description="Never link these phrases, in any essay")
    def never_link(self, request, queryset):
        phrases = sorted(set(queryset.values_list("phrase", flat=True)))
        never_link(phrases)
        self.message_user(request, f"Never linked from now on: {', '.join(phrases)}.")


@admin.register(UnlinkedPhrase)
class UnlinkedPhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "note", "created_at"]
    search_fields = ["phrase"]
    fields = ["phrase", "note"]

    def save_model(self, request, obj, form, change):
        old = UnlinkedPhrase.objects.filter(pk=obj.pk).values_list("phrase", flat=True).first()
        super().save_model(request, obj, form, change)
        mentions.names_changed([phrase for phrase in (old, obj.phrase) if phrase])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        mentions.names_changed([obj.phrase])

    def delete_queryset(self, request, queryset):
        phrases = list(queryset.values_list("phrase", flat=True))
        super().delete_queryset(request, queryset)
        mentions.names_changed(phrases)
