"""
Essay.legacy_url (one old address, honoured only by the 404 handler) becomes
a django.contrib.redirects row, and the field goes. Going back fills
legacy_url from the first redirect to each essay and keeps the redirects.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations
from django.urls import reverse

# django_redirect.old_path is this long.
MAX_PATH = 200


def _bare_path(value):
    # The rules of sergesite.redirects.normalise_path as they were when this
    # was written, copied so that later changes there cannot change this.
    path = unquote(urlsplit(value.strip()).path)
    if not path.startswith("/"):
        path = "/" + path
    if any(ord(char) < 32 or ord(char) == 127 for char in path) or len(path) > MAX_PATH:
        return None
    return path


def _site(apps, schema_editor):
    # The sites framework creates its row after all migrations have run, so
    # on a database being built from scratch it is not there yet.
    Site = apps.get_model("sites", "Site")
    db = schema_editor.connection.alias
    site = Site.objects.using(db).filter(pk=settings.SITE_ID).first()
    if site is None:
        site = Site.objects.using(db).create(
            pk=settings.SITE_ID, domain="example.com", name="example.com"
        )
        # A primary key given explicitly does not move PostgreSQL's sequence.
        with schema_editor.connection.cursor() as cursor:
            for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Site]):
                cursor.execute(sql)
    return site


def legacy_urls_to_redirects(apps, schema_editor):
    Essay = apps.get_model("essays", "Essay")
    Redirect = apps.get_model("redirects", "Redirect")
    db = schema_editor.connection.alias
    legacy = list(Essay.objects.using(db).exclude(legacy_url="").values_list("slug", "legacy_url"))
    if not legacy:
        return
    site = _site(apps, schema_editor)
    for slug, legacy_url in legacy:
        old = _bare_path(legacy_url)
        new = reverse("essays:detail", kwargs={"slug": slug})
        if old is None or old == unquote(new) or len(new) > MAX_PATH:
            print(f"\n  Essay {slug!r}: old address {legacy_url!r} cannot be a redirect; dropped.")
            continue
        Redirect.objects.using(db).update_or_create(
            site=site, old_path=old, defaults={"new_path": new}
        )


def redirects_to_legacy_urls(apps, schema_editor):
    Essay = apps.get_model("essays", "Essay")
    Redirect = apps.get_model("redirects", "Redirect")
    db = schema_editor.connection.alias
    first_old_path = {}
    for old, new in (
        Redirect.objects.using(db)
        .filter(site_id=settings.SITE_ID)
        .order_by("-old_path")
        .values_list("old_path", "new_path")
    ):
        first_old_path[new] = old
    for essay in Essay.objects.using(db).only("slug"):
        old = first_old_path.get(reverse("essays:detail", kwargs={"slug": essay.slug}))
        if old is not None:
            essay.legacy_url = old
            essay.save(update_fields=["legacy_url"])


class Migration(migrations.Migration):
    dependencies = [
        ("essays", "0002_import_source_and_mentions"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [
        migrations.RunPython(legacy_urls_to_redirects, redirects_to_legacy_urls),
        migrations.RemoveField(model_name="essay", name="legacy_url"),
    ]
