"""
Mentions of known people and works in essays (found by essays/mentions.py),
and the phrases editors never want linked. Imported by essays/models.py, so
these are essays models like the others.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Window
from django.db.models.functions import Lower, RowNumber
from django.utils import timezone

from people.models import Person
from sergesite import page_cache
from works.models import Work

from . import mention_scan


class MentionQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Mention.Status.ACCEPTED)

    def to_review(self):
        return self.filter(status=Mention.Status.PROPOSED)

    def decide(self, status):
        """
        An editor accepts or rejects these mentions; rescans keep the decision.
        Accepting one reading of an ambiguous phrase rejects the others at the
        same place. Returns the ids of the essays to link again.
        """
        rows = list(self.values_list("pk", "essay_id", "position", "ambiguous"))
        chosen = [pk for pk, *_ in rows]
        Mention.objects.filter(pk__in=chosen).update(status=status, decided_by_editor=True)
        if status == Mention.Status.ACCEPTED:
            for _, essay_id, position, ambiguous in rows:
                if ambiguous:
                    Mention.objects.filter(
                        essay_id=essay_id, position=position, ambiguous=True
                    ).exclude(pk__in=chosen).update(
                        status=Mention.Status.REJECTED, decided_by_editor=True
                    )
        page_cache.changed()  # person and work pages list accepted mentions
        return {essay_id for _, essay_id, *_ in rows}

    def public(self):
        """Accepted mentions in essays readers can see."""
        from .models import Essay  # models.py imports this module first

        return self.accepted().filter(
            essay__status=Essay.Status.PUBLISHED, essay__published_at__lte=timezone.now()
        )

    def by_essay(self, essays, *, quotes=2):
        """
        [EssayMentions(essay, count, quotes), ...] for `essays`, in their
        order: how often each names the subject, with its first `quotes`
        distinct sentences. One query that reads these essays' mentions
        only, so give it one page of a list: a famous name is in hundreds
        of essays. An essay with none (ticked by hand) gets no quote.
        """
        groups = {essay.pk: EssayMentions(essay, 0, []) for essay in essays}
        if not groups:
            return []
        # A few spare rows per essay, so repeated sentences can be skipped.
        ranked = (
            self.filter(essay__in=list(groups))
            .annotate(
                rank=Window(RowNumber(), partition_by="essay_id", order_by=["position", "pk"]),
                in_essay=Window(Count("pk"), partition_by="essay_id"),
            )
            .filter(rank__lte=quotes + 3)
            .only("phrase", "anchor", "context", "essay_id")
            .order_by("essay_id", "rank")
        )
        for mention in ranked:
            group = groups[mention.essay_id]
            group.count = mention.in_essay
            sentence = mention.context or mention.phrase
            if len(group.quotes) < quotes and sentence not in {m.sentence for m in group.quotes}:
                mention.sentence = sentence
                # Split around the phrase, so a template can mark it without |safe.
                at = sentence.find(mention.phrase)
                if at < 0:
                    mention.before, mention.match, mention.after = sentence, "", ""
                else:
                    end = at + len(mention.phrase)
                    mention.before, mention.match, mention.after = (
                        sentence[:at],
                        sentence[at:end],
                        sentence[end:],
                    )
                group.quotes.append(mention)
        return list(groups.values())

    def people_alongside(self, *, limit=10):
        """
        The people named in the same published essays as these mentions,
        with `shared` = how many such essays, most shared first. One query.
        """
        essays = self.public().values("essay_id")
        subjects = self.filter(person__isnull=False).values("person_id")
        return (
            Person.objects.filter(mentions__in=Mention.objects.public().filter(essay_id__in=essays))
            .exclude(pk__in=subjects)
            .annotate(shared=Count("mentions__essay_id", distinct=True))
            .order_by("-shared", Lower("sort_name"), "pk")
            .only("name", "slug", "sort_name")[:limit]
        )


@dataclass
class EssayMentions:
    essay: object  # an Essay
    count: int
    quotes: list


class Mention(models.Model):
    """
    One place in an essay's text that names a known person or work. Found by
    the detector on save, import or rescan; an editor's decision (accepted or
    rejected) outlives rescans of the same essay.
    """

    class Status(models.TextChoices):
        PROPOSED = mention_scan.PROPOSED, "To review"
        ACCEPTED = mention_scan.ACCEPTED, "Accepted"
        REJECTED = mention_scan.REJECTED, "Rejected"

    essay = models.ForeignKey("essays.Essay", on_delete=models.CASCADE, related_name="mentions")
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
