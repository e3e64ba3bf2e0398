"""The consultation's state machine, the deadline, answers and the report, in the services."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.consultations import services
from ngo_platform.consultations.models import Comment, Consultation, ConsultationState, DraftUnit
from ngo_platform.consultations.services import ConsultationError
from ngo_platform.core.models import AuditEntry
from tests.accounts.factories import UserFactory
from tests.consultations.factories import (
    close,
    consultation_data,
    draft_tree,
    make_consultation,
    officer_of,
    representative_of,
)
from tests.dates import clock_change

pytestmark = pytest.mark.django_db


def units(consultation):
    return list(DraftUnit.objects.filter(consultation=consultation).order_by("position"))


def test_the_transition_table_is_the_only_way_and_each_change_is_audited(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, state="draft")
    with pytest.raises(ConsultationError):
        services.consultation_close(actor=officer, consultation=consultation)
    consultation = make_consultation(opolskie, officer=officer)
    actions = list(
        AuditEntry.objects.filter(target_id=str(consultation.pk), action__startswith="consultations.consultation_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "consultations.consultation_create",
        "consultations.consultation_scheduled",
        "consultations.consultation_open",
    ]


def test_minimum_duration_is_14_days_for_the_voivodeship_and_7_for_a_gmina(opolskie, gmina_brzeg):
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ConsultationError) as error:
        services.consultation_create(
            actor=officer_of(opolskie),
            authority=opolskie,
            data=consultation_data(starts_at=start, ends_at=start + timedelta(days=10)),
        )
    assert "14" in str(error.value) and error.value.field == "ends_at"
    consultation = services.consultation_create(
        actor=officer_of(gmina_brzeg),
        authority=gmina_brzeg,
        data=consultation_data(starts_at=start, ends_at=start + timedelta(days=7)),
    )
    assert consultation.state == ConsultationState.DRAFT


def test_fourteen_calendar_days_across_the_change_of_the_clocks_are_created_and_published(opolskie):
    officer = officer_of(opolskie)
    change = clock_change(3)
    with time_machine.travel(change - timedelta(days=10), tick=False):
        start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
        end = start + timedelta(days=14)  # 10:00 two weeks later, local time: 14 days less an hour
        consultation = services.consultation_create(
            actor=officer, authority=opolskie, data=consultation_data(starts_at=start, ends_at=end)
        )
        services.draft_import(actor=officer, consultation=consultation, root=draft_tree(), source="test")
        consultation = services.consultation_schedule(actor=officer, consultation=consultation)
    assert consultation.state == ConsultationState.SCHEDULED


def test_authority_setting_overrides_the_default(gmina_brzeg):
    from ngo_platform.consultations.models import AuthorityConsultationSettings

    AuthorityConsultationSettings.objects.create(authority=gmina_brzeg, minimum_days=21)
    start = timezone.now() + timedelta(days=1)
    with pytest.raises(ConsultationError):
        services.consultation_create(
            actor=officer_of(gmina_brzeg),
            authority=gmina_brzeg,
            data=consultation_data(starts_at=start, ends_at=start + timedelta(days=14)),
        )


def test_only_officers_of_the_authority_create_and_manage(opolskie, gmina_brzeg):
    with pytest.raises(PermissionDenied):
        services.consultation_create(actor=officer_of(gmina_brzeg), authority=opolskie, data=consultation_data())
    consultation = make_consultation(opolskie, state="draft")
    with pytest.raises(PermissionDenied):
        services.consultation_schedule(actor=UserFactory(), consultation=consultation)


def test_scheduled_consultation_opens_only_when_its_start_has_come(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, state="scheduled")
    assert consultation.state == ConsultationState.SCHEDULED
    with pytest.raises(ConsultationError):
        services.consultation_open(actor=officer, consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(starts_at=timezone.now() - timedelta(seconds=1))
    assert services.consultations_advance() == [(consultation.pk, "open")]
    assert services.consultations_advance() == []


def test_open_consultation_cannot_be_closed_before_its_end(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer)
    with pytest.raises(ConsultationError):
        services.consultation_close(actor=officer, consultation=consultation)
    assert Consultation.objects.get(pk=consultation.pk).state == ConsultationState.OPEN


def test_publishing_needs_units(opolskie):
    officer = officer_of(opolskie)
    consultation = services.consultation_create(actor=officer, authority=opolskie, data=consultation_data())
    with pytest.raises(ConsultationError):
        services.consultation_schedule(actor=officer, consultation=consultation)


# --- Comments ---


def test_representative_comments_on_behalf_of_the_organisation(opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    unit = units(consultation)[1]
    comment = services.comment_submit(
        actor=person,
        consultation=consultation,
        unit=unit,
        organisation=organisation,
        proposed_wording="Nowe brzmienie",
        justification="Bo tak lepiej",
    )
    assert comment.author_name == organisation.name
    assert comment.current_wording == "§ 1. Program określa zasady współpracy z organizacjami pozarządowymi."
    assert comment.unit_citation == "§ 1"
    entry = AuditEntry.objects.get(action="consultations.comment_submit")
    assert entry.acting_for_organisation == organisation


def test_current_wording_of_a_unit_includes_its_children(opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    paragraph = units(consultation)[2]
    comment = services.comment_submit(
        actor=person, consultation=consultation, unit=paragraph, organisation=organisation, justification="Uzasadnienie"
    )
    assert "1. Współpraca" in comment.current_wording and "2. Program realizuje" in comment.current_wording


def test_only_representatives_comment_on_behalf_of_an_organisation(opolskie):
    consultation = make_consultation(opolskie)
    _person, organisation = representative_of()
    stranger, _other = representative_of()
    with pytest.raises(ConsultationError) as error:
        services.comment_submit(
            actor=stranger, consultation=consultation, unit=None, organisation=organisation, justification="x"
        )
    assert error.value.field == "on_behalf"
    assert not Comment.objects.exists()


def test_residents_only_where_allowed(opolskie):
    resident = UserFactory()
    closed_to_residents = make_consultation(opolskie)
    with pytest.raises(ConsultationError):
        services.comment_submit(actor=resident, consultation=closed_to_residents, unit=None, justification="x")
    open_to_residents = make_consultation(opolskie, open_to_residents=True)
    comment = services.comment_submit(actor=resident, consultation=open_to_residents, unit=None, justification="x")
    assert comment.author_type == "resident" and comment.organisation is None
    assert Comment.objects.count() == 1


def test_comment_one_second_after_the_end_is_refused_and_nothing_is_stored(opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=timezone.now() - timedelta(days=15), ends_at=timezone.now() - timedelta(seconds=1)
    )
    before = AuditEntry.objects.count()
    with pytest.raises(ConsultationError) as error:
        services.comment_submit(
            actor=person,
            consultation=consultation,
            unit=None,
            organisation=organisation,
            proposed_wording="Za późno",
            justification="Za późno",
        )
    assert "zamknięto" in str(error.value).lower() or "closed" in str(error.value).lower()
    assert not Comment.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_clock_at_the_end_itself_is_still_on_time_and_one_second_later_is_not(opolskie, monkeypatch):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    end = consultation.ends_at
    monkeypatch.setattr(services, "now", lambda: end)
    services.comment_submit(
        actor=person, consultation=consultation, unit=None, organisation=organisation, justification="ok"
    )
    monkeypatch.setattr(services, "now", lambda: end + timedelta(seconds=1))
    with pytest.raises(ConsultationError):
        services.comment_submit(
            actor=person, consultation=consultation, unit=None, organisation=organisation, justification="late"
        )
    assert Comment.objects.count() == 1


def test_comments_are_refused_before_the_start(opolskie):
    consultation = make_consultation(opolskie, state="scheduled")
    person, organisation = representative_of()
    with pytest.raises(ConsultationError):
        services.comment_submit(
            actor=person, consultation=consultation, unit=None, organisation=organisation, justification="x"
        )


def test_edit_and_withdraw_until_the_deadline_then_refused(opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    comment = services.comment_submit(
        actor=person, consultation=consultation, unit=None, organisation=organisation, justification="a"
    )
    services.comment_update(actor=person, comment=comment, current_wording="", proposed_wording="b", justification="c")
    assert Comment.objects.get().justification == "c"
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=timezone.now() - timedelta(days=15), ends_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ConsultationError):
        services.comment_update(
            actor=person, comment=comment, current_wording="", proposed_wording="d", justification="d"
        )
    with pytest.raises(ConsultationError):
        services.comment_withdraw(actor=person, comment=comment)
    comment = Comment.objects.get()
    assert comment.justification == "c" and comment.state == "submitted"


def test_others_cannot_edit_or_withdraw_a_comment(opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    comment = services.comment_submit(
        actor=person, consultation=consultation, unit=None, organisation=organisation, justification="a"
    )
    with pytest.raises(PermissionDenied):
        services.comment_withdraw(actor=UserFactory(), comment=comment)
    colleague, _org = representative_of(organisation)
    services.comment_withdraw(actor=colleague, comment=comment)
    assert Comment.objects.get().state == "withdrawn"


# --- Answers and the report ---


def _closed_with_comments(opolskie, count=2):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer)
    person, organisation = representative_of()
    comments = [
        services.comment_submit(
            actor=person,
            consultation=consultation,
            unit=units(consultation)[1],
            organisation=organisation,
            proposed_wording=f"Propozycja {i}",
            justification=f"Uzasadnienie {i}",
        )
        for i in range(count)
    ]
    close(consultation, officer)
    return officer, Consultation.objects.get(pk=consultation.pk), comments


def test_answers_need_a_reason_unless_accepted(opolskie):
    officer, consultation, comments = _closed_with_comments(opolskie)
    with pytest.raises(ConsultationError) as error:
        services.comments_answer(
            actor=officer,
            consultation=consultation,
            comment_ids=[comments[0].pk],
            position="rejected",
            justification=" ",
        )
    assert error.value.field == "justification"
    assert (
        services.comments_answer(
            actor=officer,
            consultation=consultation,
            comment_ids=[comments[0].pk],
            position="accepted",
            justification="",
        )
        == 1
    )


def test_answers_only_after_closing_and_only_by_officers(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer)
    person, organisation = representative_of()
    comment = services.comment_submit(
        actor=person, consultation=consultation, unit=None, organisation=organisation, justification="a"
    )
    with pytest.raises(ConsultationError):
        services.comments_answer(
            actor=officer, consultation=consultation, comment_ids=[comment.pk], position="accepted", justification=""
        )
    close(consultation, officer)
    with pytest.raises(PermissionDenied):
        services.comments_answer(
            actor=person, consultation=consultation, comment_ids=[comment.pk], position="accepted", justification=""
        )


def test_report_cannot_be_published_while_a_comment_is_unanswered(opolskie):
    officer, consultation, comments = _closed_with_comments(opolskie)
    services.comments_answer(
        actor=officer, consultation=consultation, comment_ids=[comments[0].pk], position="accepted", justification=""
    )
    with pytest.raises(ConsultationError) as error:
        services.report_publish(actor=officer, consultation=consultation)
    assert "1" in str(error.value)
    consultation.refresh_from_db()
    assert (
        consultation.state == ConsultationState.CLOSED
        and not consultation.report_pdf
        and consultation.report_published_at is None
    )


def test_identical_comments_answered_together_and_report_published(opolskie, django_capture_on_commit_callbacks):
    officer, consultation, comments = _closed_with_comments(opolskie)
    services.comments_answer(
        actor=officer,
        consultation=consultation,
        comment_ids=[c.pk for c in comments],
        position="partly",
        justification="Częściowo uwzględniono",
    )
    with django_capture_on_commit_callbacks() as rendering:
        consultation = services.report_publish(actor=officer, consultation=consultation)
    assert consultation.state == ConsultationState.ANSWERED and consultation.report_published_at
    assert not Consultation.objects.get(pk=consultation.pk).report_pdf  # rendered by the worker, after the commit
    for callback in rendering:
        callback()
    consultation.refresh_from_db()
    assert consultation.report_pdf.name.endswith(".pdf") and consultation.report_docx.name.endswith(".docx")
    assert services.report_render(consultation_id=consultation.pk) is False  # once: a second run stores nothing
    with pytest.raises(ConsultationError):
        services.report_publish(actor=officer, consultation=consultation)


def test_a_scheduled_consultation_whose_start_came_opens_on_the_first_comment(opolskie):
    """Comments are accepted from the start, whether or not the cron job has opened the consultation yet."""
    consultation = make_consultation(opolskie, state="scheduled")
    Consultation.objects.filter(pk=consultation.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.SCHEDULED
    person, organisation = representative_of()
    services.comment_submit(
        actor=person,
        consultation=consultation,
        unit=None,
        organisation=organisation,
        proposed_wording="Dodać harmonogram",
        justification="Brak terminów",
    )
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.OPEN and consultation.comments.count() == 1
    assert AuditEntry.objects.filter(action="consultations.consultation_open", actor=None).exists()


def test_a_published_consultation_cannot_get_a_start_in_the_past(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, state="scheduled")
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=timezone.now() + timedelta(days=1), ends_at=timezone.now() + timedelta(days=20)
    )
    consultation.refresh_from_db()
    before = (consultation.starts_at, consultation.ends_at)
    with pytest.raises(ConsultationError) as refused:
        services.consultation_update(
            actor=officer,
            consultation=consultation,
            data={
                "starts_at": timezone.now() - timedelta(days=13),
                "ends_at": timezone.now() + timedelta(days=1),
            },
        )
    assert refused.value.field == "starts_at"
    consultation.refresh_from_db()
    assert (
        consultation.starts_at,
        consultation.ends_at,
    ) == before and consultation.state == ConsultationState.SCHEDULED


def test_the_list_shows_open_ones_soonest_closing_first_and_finished_ones_newest_first(opolskie):
    from ngo_platform.consultations import selectors

    officer = officer_of(opolskie)
    now = timezone.now()
    made = {}
    for title, state, ends in [
        ("otwarta później", "open", 20),
        ("otwarta wcześniej", "open", 10),
        ("zamknięta dawno", "closed", -30),
        ("zamknięta niedawno", "closed", -2),
    ]:
        consultation = make_consultation(opolskie, officer=officer, title=title)
        Consultation.objects.filter(pk=consultation.pk).update(
            state=state, ends_at=now + timedelta(days=ends), starts_at=now + timedelta(days=ends - 20)
        )
        made[title] = consultation.pk
    assert [c.title for c in selectors.public_consultations()] == [
        "otwarta wcześniej",
        "otwarta później",
        "zamknięta niedawno",
        "zamknięta dawno",
    ]
