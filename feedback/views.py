import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from sergesite.access import client_address

from .forms import FeedbackForm, local_path
from .models import Feedback


def client_address_hash(request):
    address = client_address(request) or ""
    salt = settings.FEEDBACK_IP_SALT.encode()
    return hmac.new(salt, address.encode(), hashlib.sha256).hexdigest()


def over_rate_limit(request):
    """Count this submission; True when the address has sent too many lately."""
    # The salted hash lives only in the cache key, and only for one window.
    key = f"feedback:rate:{client_address_hash(request)}"
    window = settings.FEEDBACK_RATE_WINDOW
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count > settings.FEEDBACK_RATE_LIMIT


@require_http_methods(["GET", "HEAD", "POST"])
def form(request):
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            if not over_rate_limit(request):
                feedback = form.save_received()
                if feedback and feedback.status == Feedback.Status.NEW:
                    feedback.notify_editors()
                # Refused or not, a bot sees the same thank-you page as a reader.
                return redirect("feedback:thanks")
            status = 429
    else:
        form = FeedbackForm(
            initial={
                "about": request.GET.get("about", "")[:300],
                "page": local_path(request.GET.get("page")),
            }
        )
    return render(
        request, "feedback/form.html", {"form": form, "rate_limited": status == 429}, status=status
    )


@require_safe
def thanks(request):
    return render(request, "feedback/thanks.html")
