import datetime
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Revision, Version

from essays.models import Essay
from people.models import OtherName, Person
from sergesite import versions_diff
from tests.factories import make_essay, make_person, make_section, make_work
from works.models import Contribution

pytestmark = pytest.mark.django_db


def versions_of(obj):
    return list(Version.objects.get_for_object(obj).select_related("revision__user"))


def part_rows(version, model):
    """The fields of the parts of one model kept with the version."""
    rows = Version.objects.filter(revision_id=version.revision_id).exclude(pk=version.pk)
    return [row.field_dict for row in rows if row._model is model]


def tag_names(version):
    from taggit.models import Tag, TaggedItem

    rows = Version.objects.filter(revision_id=version.revision_id)
    ids = [row.field_dict["tag_id"] for row in rows if row._model is TaggedItem]
    return sorted(Tag.objects.filter(pk__in=ids).values_list("name", flat=True))


def essay_form(essay, **changes):
    data = {
        "title": essay.title,
        "slug": essay.slug,
        "section": essay.section_id,
        "summary": essay.summary,
        "body": essay.body,
        "status": essay.status,
        "published_at_0": f"{essay.published_at:%Y-%m-%d}" if essay.published_at else "",
        "published_at_1": f"{essay.published_at:%H:%M:%S}" if essay.published_at else "",
        "tags": ", ".join(sorted(essay.tags.names())),
        "people": [person.pk for person in essay.people.all()],
        "works": [work.pk for work in essay.works.all()],
        "old_addresses": "",
        # The mentions inline, left as it is.
        "mentions-TOTAL_FORMS": "0",
        "mentions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def change_essay(client, essay, **changes):
    response = client.post(
        reverse("admin:essays_essay_change", args=[essay.pk]), essay_form(essay, **changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


# --- Saves outside the admin ---------------------------------------------------
# These commit for real (transactional_db): a version is written when the
# transaction that saved the object commits.


@pytest.mark.django_db(transaction=True)
def test_a_plain_save_outside_a_transaction_keeps_a_version_at_once():
    essay = make_essay(title="Serge in Paris")
    essay.summary = "Where he went."
    essay.save()

    newest, first = versions_of(essay)
    assert newest.field_dict["summary"] == "Where he went."
    assert newest.revision.user is None
    assert newest.revision.comment == "Saved outside the admin"


@pytest.mark.django_db(transaction=True)
def test_an_import_transaction_keeps_one_version_with_the_tags_set_after_the_save():
    with transaction.atomic():  # as the importers do for each file
        essay = make_essay(title="Serge in Paris", body="First.", tags=["anarchism", "Paris"])
        essay.body = "Second."
        essay.save()

    [version] = versions_of(essay)
    assert version.field_dict["body"] == "Second."
    assert tag_names(version) == ["Paris", "anarchism"]


@pytest.mark.django_db(transaction=True)
def test_a_save_rolled_back_keeps_no_version_and_the_next_save_in_the_transaction_does():
    essay = make_essay(body="First.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                essay.body = "Never written."
                essay.save()
                raise RuntimeError
        except RuntimeError:
            pass
        essay.refresh_from_db()
        essay.body = "Written."
        essay.save()

    assert [v.field_dict["body"] for v in versions_of(essay)] == ["Written.", "First."]


@pytest.mark.django_db(transaction=True)
def test_tagging_a_saved_essay_outside_the_admin_keeps_a_version_with_the_tag():
    essay = make_essay(title="Serge in Paris")

    essay.tags.add("anarchism")

    newest, _ = versions_of(essay)
    assert tag_names(newest) == ["anarchism"]


@pytest.mark.django_db(transaction=True)
def test_adding_an_other_name_keeps_a_version_of_the_person_with_it():
    person = make_person(name="Victor Serge")

    OtherName.objects.create(person=person, name="Kibalchich", kind=OtherName.Kind.BIRTH)

    newest, _ = versions_of(person)
    assert [row["name"] for row in part_rows(newest, OtherName)] == ["Kibalchich"]


@pytest.mark.django_db(transaction=True)
def test_removing_a_contributor_keeps_a_version_of_the_work_without_them():
    serge, sedgwick = make_person(name="Victor Serge"), make_person(name="Peter Sedgwick")
    work = make_work(authors=[serge])
    translator = Contribution.objects.create(work=work, person=sedgwick, role="translator")

    translator.delete()

    newest = versions_of(work)[0]
    assert [row["person_id"] for row in part_rows(newest, Contribution)] == [serge.pk]


# --- The admin -------------------------------------------------------------------


def test_saving_in_the_admin_keeps_one_version_with_the_editor_tags_and_people(
    admin_client, admin_user
):
    serge = make_person(name="Victor Serge")
    essay = make_essay(body="Serge arrived in Paris.", tags=["Paris"])

    change_essay(admin_client, essay, tags="anarchism, Paris", people=[serge.pk])

    [version] = versions_of(essay)  # one, not one from save() and one from the admin
    assert version.revision.user == admin_user
    assert tag_names(version) == ["Paris", "anarchism"]
    assert version.field_dict["people"] == [serge.pk]


def test_the_history_page_lists_every_version_newest_first_with_who_saved_it(
    admin_client, admin_user
):
    essay = make_essay(body="One.")
    change_essay(admin_client, essay, body="Two.")
    change_essay(admin_client, essay, body="Three.")

    response = admin_client.get(reverse("admin:essays_essay_history", args=[essay.pk]))

    rows = response.context["versions"]
    assert [row["version"].field_dict["body"] for row in rows] == ["Three.", "Two."]
    assert {row["revision"].user for row in rows} == {admin_user}
    assert b"Compare selected versions" in response.content


def compare_url(obj, old, new, name="essays_essay"):
    url = reverse(f"admin:{name}_compare", args=[obj.pk])
    return f"{url}?from={old.pk}&to={new.pk}"


def test_comparing_two_versions_marks_the_words_added_and_removed_and_escapes_them(
    admin_client,
):
    serge = make_person(name="Victor Serge")
    essay = make_essay(body="Serge arrived in Paris in 1919.", tags=["Paris"])
    change_essay(admin_client, essay)
    change_essay(
        admin_client,
        essay,
        body="Serge arrived in Petrograd in 1919. <script>alert(1)</script>",
        tags="anarchism",
        people=[serge.pk],
    )
    new, old = versions_of(essay)

    response = admin_client.get(compare_url(essay, old, new))

    page = response.content.decode()
    assert "<del>Paris </del>" in page
    assert "<ins>Petrograd </ins>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    changes = {change.label: change for change in response.context["comparison"].fields}
    assert changes["People"].after == "Victor Serge"
    [tags] = response.context["comparison"].parts
    assert (tags.removed, tags.added) == (["Paris"], ["anarchism"])


def test_comparing_versions_of_a_person_shows_the_other_names_changed(admin_client):
    person = make_person(name="Victor Serge", other_names=[("Kibalchich", "birth")])
    url = reverse("admin:people_person_change", args=[person.pk])
    other = person.other_names.get()
    form = {
        "name": "Victor Serge",
        "sort_name": "Serge, Victor",
        "slug": person.slug,
        "birth_precision": "year",
        "death_precision": "year",
        "other_names-TOTAL_FORMS": "1",
        "other_names-INITIAL_FORMS": "1",
        "other_names-MIN_NUM_FORMS": "0",
        "other_names-MAX_NUM_FORMS": "1000",
        "other_names-0-id": other.pk,
        "other_names-0-person": person.pk,
        "other_names-0-name": "Kibalchich",
        "other_names-0-kind": "birth",
        "other_names-0-note": "",
    }
    assert admin_client.post(url, form).status_code == 302
    form["other_names-0-name"] = "Viktor Kibalchich"
    assert admin_client.post(url, form).status_code == 302
    new, old = versions_of(person)

    response = admin_client.get(compare_url(person, old, new, "people_person"))

    [names] = response.context["comparison"].parts
    assert names.label == "Other names"
    assert (names.removed, names.added) == (
        ["Kibalchich · Birth name"],
        ["Viktor Kibalchich · Birth name"],
    )


@pytest.mark.parametrize("query", ["from=1&to=x", "from=999999&to=999998", "to=1"])
def test_the_compare_page_refuses_versions_that_are_not_this_objects(admin_client, query):
    essay = make_essay()
    change_essay(admin_client, essay)
    other = make_essay(title="Another")
    change_essay(admin_client, other)
    [version_of_other] = versions_of(other)

    url = reverse("admin:essays_essay_compare", args=[essay.pk])
    assert admin_client.get(f"{url}?{query}").status_code == 404
    mixed = f"{url}?from={versions_of(essay)[0].pk}&to={version_of_other.pk}"
    assert admin_client.get(mixed).status_code == 404


def test_the_history_and_compare_pages_are_for_staff_only(client, admin_client):
    essay = make_essay()
    change_essay(admin_client, essay)
    [version] = versions_of(essay)

    for url in (
        reverse("admin:essays_essay_history", args=[essay.pk]),
        compare_url(essay, version, version),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_restoring_a_version_brings_back_its_text_and_tags_as_a_new_version(admin_client):
    essay = make_essay(body="The first text.", tags=["Paris"])
    change_essay(admin_client, essay)
    change_essay(admin_client, essay, body="A rewrite.", tags="anarchism, Moscow")
    rewrite, first = versions_of(essay)

    restore = reverse("admin:essays_essay_revision", args=[essay.pk, first.pk])
    form = admin_client.get(restore).context["adminform"].form
    assert form.initial["body"] == "The first text."
    assert admin_client.post(restore, essay_form(essay, body="The first text.", tags="Paris"))

    essay.refresh_from_db()
    assert essay.body == "The first text."
    assert essay.body_html.endswith(">The first text.</p>")
    assert sorted(essay.tags.names()) == ["Paris"]
    newest, *older = versions_of(essay)
    assert [v.pk for v in older] == [rewrite.pk, first.pk]  # history kept
    assert newest.field_dict["body"] == "The first text."
    assert "Reverted" in newest.revision.comment


def test_restoring_a_person_takes_away_other_names_added_since(admin_client):
    person = make_person(name="Victor Serge")
    url = reverse("admin:people_person_change", args=[person.pk])
    form = {
        "name": "Victor Serge",
        "sort_name": "Serge, Victor",
        "slug": person.slug,
        "birth_precision": "year",
        "death_precision": "year",
        "other_names-TOTAL_FORMS": "0",
        "other_names-INITIAL_FORMS": "0",
        "other_names-MIN_NUM_FORMS": "0",
        "other_names-MAX_NUM_FORMS": "1000",
    }
    assert admin_client.post(url, form).status_code == 302
    OtherName.objects.create(person=person, name="Kibalchich")
    assert admin_client.post(url, form).status_code == 302
    _, before = versions_of(person)

    restore = reverse("admin:people_person_revision", args=[person.pk, before.pk])
    assert admin_client.post(restore, form).status_code == 302

    assert list(person.other_names.all()) == []
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_deleted_essay_is_listed_and_recovered_with_its_tags(admin_client):
    essay = make_essay(title="Lost chapter", body="Kept text.", tags=["Paris"])
    change_essay(admin_client, essay)
    pk = essay.pk
    admin_client.post(reverse("admin:essays_essay_delete", args=[pk]), {"post": "yes"})
    assert not Essay.objects.filter(pk=pk).exists()

    listing = admin_client.get(reverse("admin:essays_essay_recoverlist"))
    [deleted] = listing.context["deleted"]
    assert deleted.object_repr == "Lost chapter"
    recover = reverse("admin:essays_essay_recover", args=[deleted.pk])
    assert admin_client.post(recover, essay_form(essay, tags="Paris")).status_code == 302

    essay = Essay.objects.get(pk=pk)
    assert essay.body == "Kept text."
    assert list(essay.tags.names()) == ["Paris"]


def test_publishing_from_the_list_keeps_a_version_with_the_new_status(admin_client, admin_user):
    essay = make_essay(published=False)
    change_essay(admin_client, essay)
    other = make_essay(title="Already out")
    change_essay(admin_client, other)

    admin_client.post(
        reverse("admin:essays_essay_changelist"),
        {"action": "publish", "_selected_action": [essay.pk, other.pk]},
    )

    newest, _ = versions_of(essay)
    assert newest.field_dict["status"] == "published"
    assert newest.revision.user == admin_user
    assert newest.revision.comment == "Publish the selected essays."
    assert len(versions_of(other)) == 1  # unchanged by the action: no new version


def test_the_change_list_offers_to_recover_deleted_essays(admin_client):
    response = admin_client.get(reverse("admin:essays_essay_changelist"))

    assert reverse("admin:essays_essay_recoverlist").encode() in response.content
    assert b"Add essay" in response.content


def test_the_word_diff_leaves_out_long_unchanged_stretches():
    words = " ".join(f"w{n}" for n in range(400))
    segments = versions_diff.word_diff(words + " end.", words + " finish.")

    assert [s.kind for s in segments] == ["gap", "same", "del", "ins"]
    assert segments[1].text.split()[-1] == "w399"
    assert segments[2].text == "end."


# --- Thinning -------------------------------------------------------------------


def date_versions(obj, *dates):
    """Give obj's versions, newest first, these dates."""
    for version, date in zip(versions_of(obj), dates, strict=True):
        Revision.objects.filter(pk=version.revision_id).update(date_created=date)


def make_history(admin_client, essay, count):
    for n in range(count):
        change_essay(admin_client, essay, body=f"Text {n}.", tags=f"tag{n}")


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


# The middle of a month long ago, so that a few days either side stay in it.
LONG_AGO = (timezone.now() - datetime.timedelta(days=400)).replace(day=15, hour=12)


def test_thinning_keeps_recent_versions_and_the_newest_of_each_older_month(admin_client):
    essay = make_essay()
    make_history(admin_client, essay, 6)
    month_before = LONG_AGO - datetime.timedelta(days=40)
    date_versions(
        essay,
        days_ago(1),
        days_ago(30),
        LONG_AGO,
        LONG_AGO - datetime.timedelta(days=1),
        LONG_AGO - datetime.timedelta(days=2),
        month_before,
    )
    before = versions_of(essay)

    call_command("thin_versions", verbosity=0)

    kept = versions_of(essay)
    assert [v.pk for v in kept] == [before[0].pk, before[1].pk, before[2].pk, before[5].pk]
    assert not Revision.objects.filter(pk=before[3].revision_id).exists()
    assert tag_names(kept[2]) == ["tag3"]  # parts stay with the versions kept


def test_thinning_as_a_dry_run_deletes_nothing_and_says_what_would_go(admin_client, capsys):
    essay = make_essay()
    make_history(admin_client, essay, 3)
    date_versions(essay, *(LONG_AGO - datetime.timedelta(hours=n) for n in range(3)))

    call_command("thin_versions", "--dry-run")

    assert len(versions_of(essay)) == 3
    assert "Would delete 2 old versions in 2 revisions" in capsys.readouterr().out


def test_thinning_a_revision_of_several_essays_takes_only_the_old_versions_and_parts(
    admin_client,
):
    first, second = make_essay(title="First", tags=["a"]), make_essay(title="Second", tags=["b"])
    admin_client.post(
        reverse("admin:essays_essay_changelist"),
        {"action": "unpublish", "_selected_action": [first.pk, second.pk]},
    )
    [shared] = {v.revision_id for v in versions_of(first) + versions_of(second)}
    change_essay(admin_client, Essay.objects.get(pk=first.pk))
    date_versions(first, LONG_AGO + datetime.timedelta(hours=1), LONG_AGO)
    date_versions(second, LONG_AGO)

    call_command("thin_versions", verbosity=0)

    assert len(versions_of(first)) == 1
    [kept] = versions_of(second)
    assert kept.revision_id == shared
    assert tag_names(kept) == ["b"]  # the other essay's tag went with its version
    assert len(Version.objects.filter(revision_id=shared)) == 2


def test_the_compare_page_of_a_section_shows_its_intro_word_by_word(admin_client):
    section = make_section(title="Research", slug="research")
    url = reverse("admin:essays_section_change", args=[section.pk])
    form = {"title": "Research", "slug": "research", "menu_order": "100", "show_in_menu": "on"}
    admin_client.post(url, {**form, "intro": "Notes on the left."})
    admin_client.post(url, {**form, "intro": "Notes on the Left Opposition."})
    new, old = versions_of(section)

    response = admin_client.get(compare_url(section, old, new, "essays_section"))

    assert re.search(r"<del>left\.</del><ins>Left Opposition\.</ins>", response.content.decode())


def test_the_compare_page_reads_a_bounded_number_of_queries_however_many_tags_and_people(
    admin_client, django_assert_max_num_queries
):
    people = [make_person(name=f"Person {n}") for n in range(10)]
    essay = make_essay(tags=[f"tag {n}" for n in range(10)])
    change_essay(admin_client, essay)
    change_essay(admin_client, essay, people=[p.pk for p in people], tags="other")
    new, old = versions_of(essay)

    # Constant, however many tags and people: 7 reads, plus the staff session's
    # idle timer, saved on every request (an UPDATE in a savepoint on PostgreSQL).
    with django_assert_max_num_queries(11):
        response = admin_client.get(compare_url(essay, old, new))

    [tags] = response.context["comparison"].parts
    assert len(tags.removed) == 10
