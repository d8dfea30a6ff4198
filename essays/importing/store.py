"""One parsed file into one essay, in its own transaction."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from people.models import Person
from search import index as search_index
from sergesite.redirects import add_old_address

from ..models import Essay
from . import links
from .parsed import ImportFailure, Parsed
from .report import CREATED, FAILED, SKIPPED, UNCHANGED, UPDATED, FileReport, count_parts
from .sources import Source


@dataclass
class Planned:
    """A parsed file with everything decided before anything is written."""

    source: Source
    parsed: Parsed
    key: str  # Essay.import_source
    slug: str
    section: object  # a Section
    existing: Essay | None = None
    warnings: list = field(default_factory=list)


def store(item, *, options, address_of):
    """Create, update or leave alone the essay for one file; never half-written."""
    report = new_report(item)
    try:
        with transaction.atomic():
            _store(item, report, options=options, address_of=address_of)
            if options.dry_run:
                transaction.set_rollback(True)
    except (ImportFailure, ValidationError, DatabaseError) as error:
        report.outcome, report.reason = FAILED, _message(error)
        report.url = report.slug = ""
    return report


def new_report(item):
    """The report of a planned file, before anything is written."""
    return FileReport(
        label=item.source.label,
        format=item.parsed.format,
        title=item.parsed.title,
        old_urls=item.parsed.old_urls,
        warnings=[*item.parsed.warnings, *item.warnings],
    )


def rewritten_body(item, *, options, address_of, write_images):
    """(body with its links and images rewritten, warnings) for a planned file."""
    given = item.parsed.old_urls[0] if item.parsed.old_urls else None
    mirrored = options.base_url is not None and given == links.old_address(
        item.source.relpath, options.base_url
    )
    if mirrored:
        # The mirror's own address: rewrite() works it out, and knows where
        # a file imported on its own really sits.
        given = None
    body, _, warnings = links.rewrite(
        item.parsed.body,
        source=item.source,
        address_of=address_of,
        base_url=options.base_url,
        write_images=write_images,
        file_address=given,
    )
    return body, warnings


def _store(item, report, *, options, address_of):
    body, warnings = rewritten_body(
        item, options=options, address_of=address_of, write_images=not options.dry_run
    )
    report.warnings += warnings
    fields = _fields(item, body, options)
    tags = sorted(dict.fromkeys(item.parsed.tags), key=str.lower)
    essay = item.existing
    if essay is not None:
        if _same(essay, fields, tags):
            _describe(report, essay, UNCHANGED)
            return
        if not options.update:
            _describe(report, essay, SKIPPED)
            report.reason = (
                f"already imported and {_what_changed(essay, fields, tags)}: use --update"
            )
            return
        outcome = UPDATED
    else:
        essay = Essay(import_source=item.key, slug=item.slug)
        essay.status = item.parsed.status or options.status or Essay.Status.DRAFT
        outcome = CREATED
    for name, value in fields.items():
        setattr(essay, name, value)
    essay.full_clean(exclude=["body_html", "toc"])
    # Tags are written after the essay, as in the admin: the search document
    # is written once, when both (and the authors) are there.
    # The byline's person first: one created now is then known to the
    # mention scan of this essay's save, and needs no rescan of it afterwards.
    author = _author(item.parsed.author)
    essay.save(index=False)
    if author is not None:
        essay.set_authors([author])
    if not _same_tags(essay, tags):
        essay.tags.set(tags)
    search_index.update_for(essay)
    report.warnings += record_old_addresses(essay, item.parsed.old_urls)
    _describe(report, essay, outcome)
    report.counts = count_parts(essay.body_html)
    report.preview_html = essay.body_html


def _fields(item, body, options):
    parsed = item.parsed
    fields = {
        "title": parsed.title[:300],
        "body": body,
        "summary": parsed.summary,
    }
    fields["section"] = item.section  # the file's own, or the stored essay's (batch._plan)
    status = parsed.status or options.status
    if status and item.existing is not None:
        fields["status"] = status
    date = parsed.date or options.date
    if date:
        fields["published_at"] = date
    return fields


def byline_name(parsed_author):
    return " ".join(parsed_author.split())[:200]


def _author(parsed_author):
    """The byline a file gives becomes the essay's author: a person with that name,
    created (its name as its sort name, cited as written) when there is none."""
    name = byline_name(parsed_author)
    if not name:
        return None
    person = Person.objects.filter(name__iexact=name).order_by("pk").first()
    if person is None:
        slug = base = slugify(name)[:180] or "author"
        number = 1
        while Person.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        person = Person.objects.create(name=name, sort_name=name, slug=slug)
    return person


def _same(essay, fields, tags):
    return all(getattr(essay, name) == value for name, value in fields.items()) and (
        _same_tags(essay, tags)
    )


def _what_changed(essay, fields, tags):
    """What differs between the stored essay and the file, in an editor's words."""
    changed = [name for name, value in fields.items() if getattr(essay, name) != value]
    if not _same_tags(essay, tags):
        changed.append("tags")
    if changed == ["body"]:
        # Often only links: pages imported since then made them resolvable.
        return "its text differs from the file's (perhaps only its links to pages imported since)"
    labels = [
        str(Essay._meta.get_field(name).verbose_name) if name != "tags" else name
        for name in changed
    ]
    return "the file differs in " + ", ".join(labels)


def _same_tags(essay, tags):
    # Tags are case-insensitive (a file's "Council communism" is the site's
    # "council communism"): compared as such, a re-run finds nothing changed.
    stored = [] if essay.pk is None else [tag.name for tag in essay.tags.all()]
    return {name.lower() for name in stored} == {name.lower() for name in tags}


def _describe(report, essay, outcome):
    report.outcome = outcome
    report.title = essay.title
    report.slug = essay.slug
    report.status = essay.status
    report.section = essay.section.title
    if essay.pk:
        report.url = essay.get_absolute_url()


def record_old_addresses(essay, urls):
    """
    The one place an imported essay's old addresses are recorded: each
    becomes a permanent redirect to the essay (sergesite.redirects), inside
    the file's transaction, so a dry run leaves none behind. An address that
    already leads to another page is left alone and reported.
    """
    warnings = []
    for url in urls:
        try:
            add_old_address(url, essay)
        except ValidationError as error:
            warnings.append(f"old address {url} not redirected: {' '.join(error.messages)}")
    return warnings


def _message(error):
    if isinstance(error, ValidationError):
        return (
            "; ".join(
                f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
                for name, messages in error.message_dict.items()
            )
            if hasattr(error, "error_dict")
            else " ".join(error.messages)
        )
    return str(error)
