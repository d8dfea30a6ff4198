import hashlib
import re
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from .models import BlockedWord, Feedback

TOKEN_SALT = "feedback.form"
LINK = re.compile(r"https?://|www\.|\[url", re.IGNORECASE)


def now():
    # Looked up at call time so tests can move the clock.
    return time.time()


def make_token():
    return signing.dumps({"t": round(now(), 3), "n": secrets.token_hex(8)}, salt=TOKEN_SALT)


def read_token(token):
    """The time the form was handed out, or None for a missing or forged token."""
    try:
        return float(signing.loads(token, salt=TOKEN_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def local_path(value):
    """value when it is a path on this site, otherwise an empty string."""
    value = (value or "").strip()
    is_local = (
        value.startswith("/")
        and not value.startswith("//")
        and len(value) <= 500
        and not any(ch == "\\" or ch.isspace() or ord(ch) < 32 for ch in value)
    )
    return value if is_local else ""


class MessageField(forms.CharField):
    def to_python(self, value):
        # A browser counts a line break as one character against maxlength but
        # sends it as two; count it as the reader saw it.
        return super().to_python(value).replace("\r\n", "\n")


class FeedbackForm(forms.ModelForm):
    message = MessageField(
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": 5000}),
        help_text="Between 10 and 5,000 characters.",
    )
    page = forms.CharField(required=False, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: the template puts it in a hidden block that people never
    # see; bots fill in every field they find.
    homepage = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Feedback
        fields = ["name", "email", "about", "message"]
        labels = {"name": "Your name", "email": "Your email", "about": "What it is about"}
        help_texts = {
            "name": "Optional.",
            "email": "Optional. Only if you would like a reply.",
            "about": "An essay, a person, a book… Optional.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = make_token()

    def clean_page(self):
        return local_path(self.cleaned_data["page"])

    def verdict(self):
        """(status, reason) for a valid form, or (None, "") for one to drop unseen."""
        data = self.cleaned_data
        started = read_token(data["started"])
        if data["homepage"] or started is None:
            return None, ""
        elapsed = now() - started
        if elapsed < settings.FEEDBACK_MIN_FILL_SECONDS:
            return Feedback.Status.SPAM, f"Sent {elapsed:.1f} s after the form was opened."
        if elapsed > settings.FEEDBACK_MAX_FORM_AGE:
            hours = elapsed / 3600
            return Feedback.Status.HELD, f"Sent from a form opened {hours:.0f} hours earlier."
        text = " ".join([data["name"], data["about"], data["message"]])
        links = len(LINK.findall(text))
        if links > settings.FEEDBACK_MAX_LINKS:
            return Feedback.Status.HELD, f"Contains {links} links."
        word = BlockedWord.objects.found_in(text)
        if word:
            return Feedback.Status.HELD, f"Contains the blocked word “{word}”."
        return Feedback.Status.NEW, ""

    def submission_key(self):
        data = self.cleaned_data
        parts = [data["started"], data["name"], data["email"], data["about"], data["message"]]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def save_received(self):
        """Store the message as its verdict says; None when there is nothing new to store."""
        status, reason = self.verdict()
        if status is None:
            return None
        feedback = self.save(commit=False)
        feedback.page_url = self.cleaned_data["page"]
        feedback.status = status
        feedback.status_reason = reason
        # Pending until the email has gone: a worker that dies mid-send leaves
        # the message for send_pending_notifications.
        feedback.notification_pending = status == Feedback.Status.NEW
        feedback.submission_key = self.submission_key()
        try:
            with transaction.atomic():
                feedback.save()
        except IntegrityError:
            if Feedback.objects.filter(submission_key=feedback.submission_key).exists():
                return None
            raise
        return feedback
