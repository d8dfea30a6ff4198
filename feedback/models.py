from django.db import models


class Feedback(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        READ = "read", "Read"
        REPLIED = "replied", "Replied"
        HELD = "held", "Held for moderation"
        SPAM = "spam", "Spam"

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

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "feedback message"

    def __str__(self):
        return f"{self.name or 'Anonymous'}: {self.message[:60]}"
