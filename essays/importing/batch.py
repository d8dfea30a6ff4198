"""A whole import: collect, read and plan every file, then store them one by one."""

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.utils.text import slugify

from search import index as search_index

from ..exchange.progress import silent
from ..models import Essay, Section
from . import detect, html, html_tree, markdown, text
from .bulk import store_new
from .links import old_address
from .parsed import ImportFailure
from .report import FileReport
from .store import Planned, store

SLUG_MAX = 190  # leaves room for "-2" within the field's 200


@dataclass
class ImportOptions:
    section: Section | None = None  # for files that do not name their own
    status: str | None = None  # None: the file's own, else draft
    date: object = None  # for files without a date of their own
    legacy_url: str = ""  # one file only
    base_url: str | None = None  # a mirrored tree: relpath -> old address under this prefix
    dry_run: bool = False
    update: bool = False
    # The old site's name, taken off page titles and banners even when the
    # pages imported are too few to show that it repeats (one file, say).
    site_name: str = ""


def run_import(paths, options, *, labels=None, progress=None):
    """One FileReport per file found under the paths. labels: how to name
    each path in reports and import keys (the admin hides its temp folder).
    progress(description, total): a bar with update(n) and close()."""
    from .sources import collect

    reports, roots, read = [], [], []
    for index, path in enumerate(paths):
        label = labels[index] if labels else None
        try:
            root, sources = collect(path, label=label)
        except ImportFailure as error:
            reports.append(FileReport(label=label or str(path), reason=str(error)))
            continue
        roots.append(root)
        for source in sources:
            try:
                data = source.read()
                decoded = detect.decode(data)
                read.append((source, decoded, detect.sniff(decoded, source.extension)))
            except ImportFailure as error:
                reports.append(FileReport(label=source.label, reason=str(error)))
    try:
        if options.legacy_url and len(read) + len(reports) > 1:
            raise ImportFailure("--legacy-url names the old address of one file only")
        planned = _plan(read, options, reports)
        address_of = _addresses(planned, options)
        bar = (progress or silent)("Importing", len(planned))
        # New essays go in batches (bulk.py); a dry run, and essays imported
        # before, one file at a time, since they are compared with what is stored.
        new = [] if options.dry_run else [item for item in planned if item.existing is None]
        for item in planned:
            if item.existing is not None or options.dry_run:
                reports.append(store(item, options=options, address_of=address_of))
                bar.update(1)
        reports += store_new(new, options=options, address_of=address_of, progress=bar.update)
        if new:
            search_index.settle()
        bar.close()
    finally:
        for root in roots:
            root.close()
    order = {source.label: i for i, (source, _, _) in enumerate(read)}
    return sorted(reports, key=lambda report: (order.get(report.label, -1), report.label))


def _plan(read, options, reports):
    menu_lines = _menu_lines(read)
    shared = html.shared_across([decoded for _, decoded, kind in read if kind == detect.HTML])
    if options.site_name:
        shared = replace(shared, names=shared.names | {html_tree.key(options.site_name)})
    sections = {section.slug: section for section in Section.objects.all()}
    planned = []
    for source, decoded, kind in read:
        fallback = PurePosixPath(source.relpath).stem.replace("-", " ").replace("_", " ")
        try:
            if kind == detect.HTML:
                parsed = html.parse(decoded, fallback_title=fallback, shared=shared)
            elif kind == detect.MARKDOWN:
                parsed = markdown.parse(decoded, fallback_title=fallback)
            else:
                parsed = text.parse(decoded, fallback_title=fallback, menu_lines=menu_lines)
            if options.legacy_url:
                parsed.old_urls.insert(0, options.legacy_url)
            elif options.base_url is not None and not parsed.old_urls:
                parsed.old_urls.append(old_address(source.relpath, options.base_url))
            section = _named_section(parsed, source, sections)
        except ImportFailure as error:
            reports.append(FileReport(label=source.label, format=kind, reason=str(error)))
            continue
        key = parsed.old_urls[0] if parsed.old_urls else source.label
        planned.append(Planned(source=source, parsed=parsed, key=key, slug="", section=section))

    existing = {
        essay.import_source: essay
        for essay in Essay.objects.select_related("section").filter(
            import_source__in=[item.key for item in planned]
        )
    }
    taken, keys = set(), set()
    for item in list(planned):
        if item.key in keys:
            planned.remove(item)
            reports.append(
                FileReport(label=item.source.label, reason=f"another file has the key {item.key}")
            )
            continue
        keys.add(item.key)
        item.existing = existing.get(item.key)
        if item.section is None:
            # A section the file does not name: an essay imported before
            # stays where it is (an editor may have moved it), a new one
            # goes where --section says.
            item.section = item.existing.section if item.existing else options.section
        if item.section is None:
            planned.remove(item)
            reports.append(
                FileReport(label=item.source.label, reason=_no_section(item.source, sections))
            )
            continue
        item.slug = item.existing.slug if item.existing else _free_slug(item, taken)
        taken.add(item.slug)
    return planned


def _named_section(parsed, source, sections):
    """The section a file names, in its front matter or by its top folder, or None."""
    if parsed.section:
        if parsed.section not in sections:
            raise ImportFailure(f"the file names section '{parsed.section}', which does not exist")
        return sections[parsed.section]
    # A mirrored site's folders are often its sections: anl/anl.html.
    folder = PurePosixPath(source.relpath).parts[0] if "/" in source.relpath else ""
    return sections.get(slugify(folder))


def _no_section(source, sections):
    folder = PurePosixPath(source.relpath).parts[0] if "/" in source.relpath else ""
    where = f" or a top folder named like a section (not '{folder}')" if folder else ""
    return (
        f"no section: give --section, a 'section:' in the front matter{where}."
        f" Sections: {', '.join(sorted(sections)) or 'none yet'}."
    )


def _free_slug(item, taken):
    wanted = slugify(item.parsed.slug or item.parsed.title, allow_unicode=True)[:SLUG_MAX]
    wanted = wanted.strip("-") or "essay"
    in_use = taken | set(
        Essay.objects.filter(slug__startswith=wanted)
        .exclude(import_source=item.key)
        .values_list("slug", flat=True)
    )
    slug, number = wanted, 2
    while slug in in_use:
        slug, number = f"{wanted}-{number}", number + 1
    if slug != wanted:
        item.warnings.append(
            f"the slug '{wanted}' is taken by another essay: using '{slug}'" + _same_file_hint(item)
        )
    return slug


def _same_file_hint(item):
    """A hint when the essay in the way came from a file of this name: most likely
    this very page, imported before from its place in the site's tree."""
    name = PurePosixPath(item.source.relpath).name
    earlier = (
        Essay.objects.filter(import_source__endswith="/" + name)
        .exclude(import_source=item.key)
        .values_list("import_source", flat=True)
        .first()
    )
    if not earlier:
        return ""
    return f" (an essay was imported from {earlier}: to update it, give --legacy-url {earlier})"


def _menu_lines(read):
    """Lower-cased lines that are navigation: the site's section titles, and
    short lines opening at least two of the batch's text pages (the menu every
    page repeats)."""
    lines = {title.lower() for title in Section.objects.values_list("title", flat=True)}
    openings = Counter()
    text_pages = [decoded for _, decoded, kind in read if kind == detect.TEXT]
    for decoded in text_pages:
        top = [line.strip().lower() for line in decoded.splitlines()[:80] if line.strip()]
        openings.update({line for line in top[:40] if text.is_short(line)})
    if len(text_pages) >= 2:
        lines |= {line for line, number in openings.items() if number >= 2}
    return frozenset(lines)


def _addresses(planned, options):
    """address_of(key): the new URL for a batch path or an old address."""
    from django.urls import reverse

    known = {}
    for item in planned:
        url = reverse("essays:detail", kwargs={"slug": item.slug})
        known[item.source.relpath] = url
        for old in item.parsed.old_urls:
            known[old] = url
    looked_up = {}

    def address_of(key):
        if key in known:
            return known[key]
        if key not in looked_up:
            # A page imported by an earlier run, known by its old address.
            candidates = {key}
            if options.base_url is not None and not key.startswith("/"):
                candidates.add(old_address(key, options.base_url))
            essay = Essay.objects.filter(import_source__in=candidates).only("slug").first()
            looked_up[key] = essay.get_absolute_url() if essay else _redirected(candidates)
        return looked_up[key]

    return address_of


def _redirected(paths):
    # An old address an editor or an earlier import already redirects.
    return (
        Redirect.objects.filter(site_id=settings.SITE_ID, old_path__in=paths)
        .values_list("new_path", flat=True)
        .first()
    )
