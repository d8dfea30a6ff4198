from django import template
from django.db.models import Count, Q

from feedback.models import Feedback

register = template.Library()


@register.simple_tag
def feedback_counts():
    # One query for both numbers.
    return Feedback.objects.aggregate(
        new=Count("pk", filter=Q(status=Feedback.Status.NEW)),
        held=Count("pk", filter=Q(status=Feedback.Status.HELD)),
    )
