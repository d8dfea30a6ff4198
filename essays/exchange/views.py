import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from .dump import export_site


@require_safe
def download(request):
    # A full export holds drafts and, on request, readers' email addresses:
    # superusers only, not every member of staff.
    if not request.user.is_superuser:
        raise PermissionDenied
    with_feedback = request.GET.get("feedback") == "1"
    # Built on disk, not in memory: the media files can be large. FileResponse
    # closes (and so deletes) the file once it is sent.
    file = tempfile.TemporaryFile()  # noqa: SIM115
    export_site(file, with_feedback=with_feedback)
    file.seek(0)
    name = "-".join(
        part
        for part in (
            slugify(settings.SITE_NAME) or "site",
            f"{timezone.localdate():%Y-%m-%d}",
            "with-feedback" if with_feedback else "",
        )
        if part
    )
    return FileResponse(
        file, as_attachment=True, filename=f"{name}.zip", content_type="application/zip"
    )
