import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models.functions import Lower
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class FeedbackQuerySet(models.QuerySet):
    def awaiting_notification(self):
        return self.filter(notification_pending=True)

    def spam_older_than(self, moment):
        return self.filter(status=Feedback.Status.SPAM, received_at__lt=moment)


class FeedbackStatus(models.TextChoices):
    NEW = "new", "New"
    READ = "read", "Read"
    REPLIED = "replied", "Replied"
    HELD = "held", "Held for moderation"
    SPAM = "spam", "Spam"


class Feedback(models.Model):
    Status = FeedbackStatus

    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    message = models.TextField()
    about = models.CharField(
        max_length=300, blank=True, help_text="What the message is about, as the reader gave it."
    )
    page_url = models.CharField(
        max_length=500, blank=True, help_text="The page the reader came from, when known."
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=7, choices=Status, default=Status.NEW, db_index=True)
    status_reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the message was held or marked as spam when it arrived.",
    )
    notification_pending = models.BooleanField(
        default=False,
        db_index=True,
        help_text="The editors have not been emailed about this message yet. "
        "manage.py send_pending_notifications tries again.",
    )
    # A digest of the form token and the text: a browser that sends the same
    # form twice (double click, retry after a timeout) stores one message.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "feedback message"
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~models.Q(submission_key=""),
                name="feedback_unique_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=FeedbackStatus.values),
                name="feedback_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.name or 'Anonymous'}: {self.message[:60]}"

    def notification_email(self):
        # Visitor text goes into the subject: collapse it to one line, since a
        # line break in a header is refused outright.
        topic = " ".join((self.about or self.message).split())
        subject = f"Reader feedback: {topic[:80]}"
        context = {"feedback": self}
        email = EmailMultiAlternatives(
            subject,
            render_to_string("feedback/email/notification.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            settings.FEEDBACK_NOTIFY,
            reply_to=[self.email] if self.email else [],
        )
        email.attach_alternative(
            render_to_string("feedback/email/notification.html", context), "text/html"
        )
        return email

    def notify_editors(self):
        """Email the editors; True once sent. On failure the message stays pending."""
        try:
            self.notification_email().send()
        except Exception:
            # Whatever goes wrong with the mail, the message is already stored
            # and the reader must still be thanked.
            logger.warning("Feedback %s: notification failed, left pending", self.pk, exc_info=True)
            Feedback.objects.filter(pk=self.pk).update(notification_pending=True)
            self.notification_pending = True
            return False
        Feedback.objects.filter(pk=self.pk).update(notification_pending=False)
        self.notification_pending = False
        return True


class BlockedWordQuerySet(models.QuerySet):
    def found_in(self, text):
        """The first blocked word or phrase that occurs in text as whole words."""
        folded = text.casefold()
        for word in self.values_list("word", flat=True):
            if re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", folded):
                return word
        return None


class BlockedWord(models.Model):
    word = models.CharField(
        max_length=100,
        help_text="A word or phrase. Messages containing it, in any letter case, "
        "are held for moderation instead of arriving as new.",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = BlockedWordQuerySet.as_manager()

    class Meta:
        ordering = ["word"]
        constraints = [
            models.UniqueConstraint(Lower("word"), name="feedback_blockedword_unique_word"),
        ]

    def __str__(self):
        return self.word
