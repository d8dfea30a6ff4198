"""
The admin's "Import essays" page, for editors who do not use a shell:
upload files or a zip, choose section and status, read the dry-run report with
a preview of each essay, then confirm.

Between the two steps the upload waits in a private folder (beside MEDIA_ROOT,
never served) named by a random token that only this user's session holds;
confirming or cancelling deletes it, and folders left behind by abandoned
imports are deleted after a day.
"""

import re
import secrets
import shutil
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import get_valid_filename

from .importing.parsed import ImportFailure
from .importing.report import OUTCOMES, FileReport, summary_line
from .importing.sources import ASSET_EXTENSIONS
from .models import Essay, Section

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UPLOAD_FILES = 300
STALE_AFTER_SECONDS = 24 * 60 * 60
SESSION_KEY = "essay_import_batches"
TOKEN = re.compile(r"^[0-9a-f]{32}$")


def batch_root():
    return Path(settings.MEDIA_ROOT).resolve().parent / "import-uploads"


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    widget = _MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(_MultipleFileField, self).clean(item, initial) for item in files if item]


class UploadForm(forms.Form):
    files = _MultipleFileField(
        help_text="HTML pages, text files, Markdown with front matter, their images, or one "
        "zip of a whole site."
    )
    section = forms.ModelChoiceField(
        Section.objects.all(),
        required=False,
        help_text="For new files that do not name a section in their front matter or folder; "
        "essays imported before stay in theirs.",
    )
    status = forms.ChoiceField(
        choices=[("", "As each file says (else draft)"), *Essay.Status.choices], required=False
    )
    base_url = forms.CharField(
        required=False,
        max_length=200,
        label="Old address prefix",
        help_text="If the files are a copy of the old site, the prefix its pages lived under, "
        "such as / : anl/anl.html then had the address /anl/anl.html and is redirected.",
    )
    site_name = forms.CharField(
        required=False,
        max_length=200,
        label="Old site's name",
        help_text='Taken off the pages\' titles and banners, such as "Writings on the Left". '
        "Found by itself when many pages are imported together.",
    )
    update = forms.BooleanField(
        required=False, help_text="Replace essays imported before whose files have changed."
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(f"Upload at most {MAX_UPLOAD_FILES} files at once.")
        if sum(upload.size for upload in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Upload at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB at once: "
                "split the site into several zips."
            )
        return files

    def clean_base_url(self):
        value = self.cleaned_data["base_url"].strip()
        if value and not value.startswith("/"):
            raise forms.ValidationError("Start the prefix with /, such as / or /old/.")
        return value


def import_urls(model_admin):
    view = model_admin.admin_site.admin_view(_view(model_admin))
    return [path("import/", view, name="essays_essay_import")]


def _view(model_admin):
    def import_essays(request):
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "token" in request.POST:
            return _second_step(request, model_admin)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return _first_step(request, model_admin, form)
        return _page(request, model_admin, form=form)

    return import_essays


def _first_step(request, model_admin, form):
    _delete_stale_batches()
    token = secrets.token_hex(16)
    folder = batch_root() / token
    folder.mkdir(parents=True)
    for upload in form.cleaned_data["files"]:
        target = folder / _free_name(folder, get_valid_filename(Path(upload.name).name))
        with open(target, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
    choices = {
        "section": form.cleaned_data["section"].pk if form.cleaned_data["section"] else None,
        "status": form.cleaned_data["status"] or None,
        "base_url": form.cleaned_data["base_url"] or None,
        "update": form.cleaned_data["update"],
        "site_name": form.cleaned_data["site_name"].strip(),
    }
    request.session.setdefault(SESSION_KEY, {})[token] = choices
    request.session.modified = True
    reports = _run(folder, choices, dry_run=True)
    return _page(request, model_admin, token=token, reports=reports, dry_run=True)


def _second_step(request, model_admin):
    token = request.POST["token"]
    batches = request.session.get(SESSION_KEY, {})
    if not TOKEN.match(token) or token not in batches:
        messages.error(request, "That import has expired or was already done: upload again.")
        return redirect("admin:essays_essay_import")
    choices = batches.pop(token)
    request.session.modified = True
    folder = batch_root() / token
    try:
        if "cancel" in request.POST or not folder.is_dir():
            messages.info(request, "Import cancelled; nothing was written.")
            return redirect("admin:essays_essay_changelist")
        reports = _run(folder, choices, dry_run=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _page(request, model_admin, reports=reports, dry_run=False)


def _run(folder, choices, *, dry_run):
    # Imported here, not at start-up: the admin is loaded by every worker, and
    # the import stack (HTML extraction, Markdown conversion, images) is the
    # largest part of a worker's memory that serving pages never uses.
    from .importing.batch import ImportOptions, run_import

    section = Section.objects.filter(pk=choices["section"]).first() if choices["section"] else None
    options = ImportOptions(
        section=section,
        status=choices["status"],
        base_url=choices["base_url"],
        update=choices["update"],
        site_name=choices.get("site_name", ""),
        dry_run=dry_run,
    )
    # Each upload is its own path; images sit beside the pages, in the same folder.
    names = sorted(
        p.name
        for p in folder.iterdir()
        if p.suffix.lower() not in ASSET_EXTENSIONS and not p.name.startswith(".")
    )
    try:
        return run_import(
            [folder / name for name in names], options, labels=[f"upload:{n}" for n in names]
        )
    except ImportFailure as error:
        return [FileReport(label="the upload", reason=str(error))]


def _page(request, model_admin, *, form=None, token=None, reports=None, dry_run=False):
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Essay._meta,
        "title": "Import essays",
        "form": form,
        "token": token,
        "reports": reports,
        "dry_run": dry_run,
        "summary": summary_line(reports, dry_run=dry_run) if reports is not None else "",
        "outcomes": OUTCOMES,
        "changelist_url": reverse("admin:essays_essay_changelist"),
    }
    return TemplateResponse(request, "admin/essays/essay/import.html", context)


def _free_name(folder, name):
    name = name or "upload"
    stem, suffix, number = Path(name).stem, Path(name).suffix, 2
    while (folder / name).exists():
        name, number = f"{stem}-{number}{suffix}", number + 1
    return name


def _delete_stale_batches():
    root = batch_root()
    if not root.is_dir():
        return
    cutoff = time.time() - STALE_AFTER_SECONDS
    for folder in root.iterdir():
        if TOKEN.match(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
