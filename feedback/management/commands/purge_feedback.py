import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.models import Feedback


class Command(BaseCommand):
    help = "Delete feedback marked as spam that is older than a number of days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=30, help="Keep spam younger than this (default 30)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *, days, dry_run, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        old_spam = Feedback.objects.spam_older_than(timezone.now() - datetime.timedelta(days=days))
        if dry_run:
            self.stdout.write(f"Would delete {old_spam.count()} spam message(s).")
            return
        deleted, _ = old_spam.delete()
        self.stdout.write(f"Deleted {deleted} spam message(s) older than {days} days.")
