from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from .forms import FeedbackForm


@require_http_methods(["GET", "HEAD", "POST"])
def form(request):
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            form.save()
            return redirect("feedback:thanks")
    else:
        form = FeedbackForm(initial={"about": request.GET.get("about", "")[:300]})
    return render(request, "feedback/form.html", {"form": form})


@require_safe
def thanks(request):
    return render(request, "feedback/thanks.html")
