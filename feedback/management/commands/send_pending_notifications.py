import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.models import Feedback


class Command(BaseCommand):
    help = "Email the editors about feedback whose notification failed earlier."

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace",
            type=int,
            default=60,
            help="Skip messages younger than this many seconds: the web process "
            "may still be sending them (default 60).",
        )

    def handle(self, *, grace, **options):
        cutoff = timezone.now() - datetime.timedelta(seconds=grace)
        pending = Feedback.objects.awaiting_notification().filter(received_at__lte=cutoff)
        sent = failed = 0
        for feedback in pending.order_by("received_at", "pk").iterator():
            # Claim the message first, so that two runs at once never send it twice.
            claimed = Feedback.objects.filter(pk=feedback.pk, notification_pending=True).update(
                notification_pending=False
            )
            if not claimed:
                continue
            if feedback.notify_editors():
                sent += 1
            else:
                failed += 1
                # The mail server is down or refusing: the rest would fail the same way.
                break
        left = Feedback.objects.awaiting_notification().count()
        summary = f"Sent {sent}, still pending {left}."
        if failed:
            raise CommandError(f"The mail server refused or could not be reached. {summary}")
        self.stdout.write(summary)
