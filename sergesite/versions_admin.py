"""
The admin side of versions: an object's history with a compare form, the
compare page, restore and the list of deleted objects to recover
(django-reversion's VersionAdmin), for the admins of registered records.
"""

from contextlib import contextmanager

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_format_dict, quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from reversion import create_revision, is_active, set_comment, set_user
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import versions, versions_diff


class HistoryAdmin(VersionAdmin):
    object_history_template = "admin/versions/object_history.html"
    change_list_template = "admin/versions/change_list.html"

    @contextmanager
    def create_revision(self, request):
        # Managed by hand: reversion would otherwise add the object as each
        # row is saved, before its tags and inlines, and once per row.
        with create_revision(manage_manually=True):
            set_user(request.user)
            yield

    def _admin_url(self, name, *args):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        # The recover link goes on top of whichever change list template the
        # model would have had (another feature may add its own buttons).
        opts = self.model._meta
        parent = select_template(
            [
                f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
                f"admin/{opts.app_label}/change_list.html",
                "admin/change_list.html",
            ]
        )
        context = {"versions_change_list": parent, **(extra_context or {})}
        return super().changelist_view(request, context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Tags, people and inlines are written after the object itself.
        versions.add_to_revision(form.instance)

    def response_action(self, request, queryset, **kwargs):
        # Actions such as "publish" change rows with QuerySet.update(), which
        # never calls save(): keep a version of each row the action changed.
        response = super().response_action(request, queryset, **kwargs)
        if is_active():
            if request.POST.get("select_across", "0") != "1":
                queryset = queryset.filter(
                    pk__in=request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
                )
            action = self.get_actions(request).get(request.POST.get("action", ""))
            if action is not None:
                set_comment(f"{action.description % model_format_dict(self.opts)}.")
            versions.record_changed(queryset)
        return response

    def _versions(self, object_id):
        return Version.objects.get_for_object_reference(self.model, object_id)

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        rows = self._versions(object_id).select_related("revision__user").order_by("-pk")
        history = [
            {
                "version": version,
                "revision": version.revision,
                "restore_url": self._admin_url("revision", quote(object_id), version.pk),
            }
            for version in rows
        ]
        context = {
            "versions": history,
            "compare_url": self._admin_url("compare", quote(object_id)),
            **(extra_context or {}),
        }
        # Django's own view: the object, permissions and the log entries.
        return admin.ModelAdmin.history_view(self, request, quote(object_id), context)

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        chosen = [request.GET.get("from", ""), request.GET.get("to", "")]
        if not all(pk.isdigit() for pk in chosen):
            raise Http404("Choose two versions to compare.")
        found = {
            version.pk: version
            for version in self._versions(object_id)
            .filter(pk__in=chosen)
            .select_related("revision__user")
        }
        if len(found) != len(set(chosen)):
            raise Http404("No such version of this object.")
        old, new = sorted((found[int(pk)] for pk in chosen), key=lambda version: version.pk)
        obj = self.get_object(request, quote(object_id))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "object": obj,
            "object_id": object_id,
            "title": f"Compare versions of {obj if obj is not None else old.object_repr}",
            "old": old,
            "new": new,
            "comparison": versions_diff.compare(old, new),
            "restore_url": self._admin_url("revision", quote(object_id), old.pk),
            "history_url": self._admin_url("history", quote(object_id)),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/versions/compare.html", context)
