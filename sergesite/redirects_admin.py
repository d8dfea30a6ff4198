"""
The Redirect admin: Django's, with our address rules, the one configured site
filled in, and a CSV upload page. Registered from essays/admin.py, because
sergesite is not an app the admin discovers.
"""

from urllib.parse import unquote

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.redirects.models import Redirect
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path

from sergesite import redirects
from sergesite.redirects_csv import import_lines

MAX_UPLOAD = 5 * 1024 * 1024


class RedirectForm(forms.ModelForm):
    class Meta:
        model = Redirect
        fields = ["old_path", "new_path"]
        help_texts = {
            "old_path": "The old address, such as /serge.html. A full URL of the old site "
            "is cut down to its path.",
            "new_path": "A page of this site, such as /essays/victor-serge/.",
        }

    def clean_old_path(self):
        return redirects.normalise_path(self.cleaned_data["old_path"])

    def clean_new_path(self):
        return redirects.normalise_target(self.cleaned_data["new_path"])

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_path"), cleaned.get("new_path")
        if old and new and unquote(new) == old:
            raise ValidationError("A redirect cannot lead to itself.")
        # The site is not on the form, so the form cannot check this itself.
        taken = Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old)
        if old and taken.exclude(pk=self.instance.pk).exists():
            self.add_error("old_path", f"{old} already has a redirect.")
        return cleaned

    def save(self, commit=True):
        self.instance.site_id = settings.SITE_ID
        return super().save(commit)


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(f"The file is larger than {MAX_UPLOAD // (1024 * 1024)} MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text.") from None


class RedirectAdmin(admin.ModelAdmin):
    form = RedirectForm
    list_display = ["old_path", "new_path"]
    search_fields = ["old_path", "new_path"]

    def get_urls(self):
        upload = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="redirects_redirect_import",
        )
        return [upload, *super().get_urls()]

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = import_lines(form.cleaned_data["file"].splitlines())
            form = ImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Import redirects from CSV",
            "opts": self.opts,
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/redirects/redirect/import.html", context)


if admin.site.is_registered(Redirect):
    admin.site.unregister(Redirect)
admin.site.register(Redirect, RedirectAdmin)
