"""Services: announcements (21 days, versions), drafts, sums and limits, joint offers, submission
(deadline to the second, idempotent, frozen, checksum), withdrawal; every refusal changes nothing."""

import hashlib
import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.competitions import canonical, selectors, services
from ngo_platform.competitions.models import (
    Competition,
    CompetitionState,
    CompetitionVersion,
    LegalParameters,
    Offer,
    OfferState,
    OfferSubmission,
    PartnerState,
)
from ngo_platform.core.models import AuditEntry
from tests.accounts.factories import UserFactory
from tests.competitions.factories import CompetitionFactory, complete_offer, member, officer, verified_organisation
from tests.dates import new_year

# Services are tested with English messages (matched below); the pages in Polish.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = timedelta(days=1)


def announcement(**overrides):
    year = timezone.localdate().year + 1  # announced now for a task next year
    data = {
        "title": f"Konkurs – sport dzieci {year}",
        "task_kind": "Szkolenie sportowe dzieci",
        "task_form": "wspieranie",
        "total_funds": 50_000_00,
        "min_grant": 1_000_00,
        "max_grant": 10_000_00,
        "own_contribution_min_bp": 1000,
        "eligible_entities": "NGO",
        "task_start": date(year, 6, 1),
        "task_end": date(year, 12, 31),
        "offers_deadline": timezone.now() + 22 * DAY,
        "rules_text": "Zasady.",
        "funds_this_year": 20_000_00,
        "funds_last_year": 40_000_00,
    }
    return {**data, **overrides}


CRITERIA = [{"name": "Jakość", "max_points": 10}]


def test_officer_prepares_and_publishes_and_the_21_days_are_enforced(opolskie):
    clerk = officer(opolskie)
    competition = services.competition_create(
        actor=clerk, authority=opolskie, data=announcement(offers_deadline=timezone.now() + 20 * DAY), criteria=CRITERIA
    )
    assert competition.state == CompetitionState.DRAFT
    with pytest.raises(services.CompetitionError) as error:
        services.competition_publish(actor=clerk, competition=competition)
    assert error.value.field == "offers_deadline" and "21" in str(error.value)
    competition.refresh_from_db()
    assert competition.state == CompetitionState.DRAFT and not CompetitionVersion.objects.exists()
    services.competition_update(
        actor=clerk,
        competition=competition,
        data={"offers_deadline": timezone.now() + 21 * DAY + timedelta(minutes=1)},
        criteria=CRITERIA,
    )
    competition = services.competition_publish(actor=clerk, competition=competition)
    assert competition.state == CompetitionState.PUBLISHED and competition.version == 1
    assert AuditEntry.objects.filter(action="competitions.competition_publish", actor=clerk).exists()


def test_the_period_is_a_setting_an_authority_may_lengthen(opolskie):
    LegalParameters.objects.create(
        version=f"Uchwała 1/{timezone.localdate().year}",
        authority=opolskie,
        effective_from=timezone.localdate() - timedelta(days=5 * 365),
        legal_basis="uchwała",
        offer_deadline_min_days=30,
        small_grant_max_grosze=1,
        small_grant_max_days=1,
        small_grant_org_year_max_grosze=1,
        small_grant_budget_share_bp=1,
        small_grant_comment_days=7,
    )
    assert selectors.legal_parameters(authority=opolskie).offer_deadline_min_days == 30
    clerk = officer(opolskie)
    competition = services.competition_create(actor=clerk, authority=opolskie, data=announcement(), criteria=CRITERIA)
    with pytest.raises(services.CompetitionError, match="30"):
        services.competition_publish(actor=clerk, competition=competition)


def test_defaults_when_no_parameters_are_stored(gmina_brzeg):
    LegalParameters.objects.all().delete()
    params = selectors.legal_parameters(authority=gmina_brzeg)
    assert params.offer_deadline_min_days == 21 and len(params.default_criteria) == 6


def test_corrections_after_publishing_are_versioned_and_need_a_note(opolskie):
    clerk = officer(opolskie)
    competition = CompetitionFactory(
        authority=opolskie, offers_deadline=timezone.now() + 30 * DAY, published_at=timezone.now() - DAY
    )
    criteria = [{"name": "Jakość", "max_points": 10}, {"name": "Koszty", "max_points": 5}]
    with pytest.raises(services.CompetitionError) as error:
        services.competition_update(
            actor=clerk, competition=competition, data={"max_grant": 12_000_00}, criteria=criteria
        )
    assert error.value.field == "note"
    services.competition_update(
        actor=clerk, competition=competition, data={"max_grant": 12_000_00}, criteria=criteria, note="Wyższa kwota"
    )
    competition.refresh_from_db()
    version = competition.versions.get()
    assert competition.version == 2 and version.number == 2 and version.changes["max_grant"] == [10_000_00, 12_000_00]
    with pytest.raises(services.CompetitionError, match="21"):
        services.competition_update(
            actor=clerk,
            competition=competition,
            data={"offers_deadline": timezone.now() + 5 * DAY},
            criteria=criteria,
            note="Krócej",
        )
    competition.refresh_from_db()
    assert competition.version == 2


def test_people_without_a_role_cannot_announce(opolskie, gmina_brzeg):
    with pytest.raises(PermissionDenied):
        services.competition_create(actor=UserFactory(), authority=opolskie, data=announcement(), criteria=CRITERIA)
    with pytest.raises(PermissionDenied):
        services.competition_create(
            actor=officer(gmina_brzeg), authority=opolskie, data=announcement(), criteria=CRITERIA
        )
    competition = CompetitionFactory(state=CompetitionState.DRAFT)
    with pytest.raises(PermissionDenied):
        services.competition_publish(actor=officer(gmina_brzeg), competition=competition)


def test_a_complete_offer_is_submitted_frozen_with_its_checksum_and_receipt(opolskie):
    offer = complete_offer()
    submission = services.offer_submit(actor=offer.creator, offer=offer)
    offer.refresh_from_db()
    assert offer.state == OfferState.SUBMITTED
    assert submission.number.startswith("OF/") and len(submission.sha256) == 64
    assert hashlib.sha256(submission.content.encode("utf-8")).hexdigest() == submission.sha256
    document = json.loads(submission.content)
    assert document["V"]["A"]["total"] == 10_000_00 and document["V"]["B"]["grant"] == 8_000_00
    assert submission.content == json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert "Brzeg" in submission.content  # UTF-8 text as itself
    assert any(submission.number in message.subject for message in mail.outbox)
    assert AuditEntry.objects.filter(action="competitions.offer_submit", details__sha256=submission.sha256).exists()
    # A double click: the same receipt, one submission.
    again = services.offer_submit(actor=offer.creator, offer=offer)
    assert again.pk == submission.pk and OfferSubmission.objects.count() == 1
    # Frozen: no step can change it.
    with pytest.raises(services.CompetitionError, match="frozen"):
        services.offer_save_step(actor=offer.creator, offer=offer, step="opis", data={"title": "Inny"})


def test_a_late_offer_is_refused_and_the_draft_kept(opolskie):
    competition = CompetitionFactory(offers_deadline=timezone.now() - timedelta(seconds=1))
    offer = complete_offer(competition)
    with pytest.raises(services.CompetitionError, match="too late|za późno"):
        services.offer_submit(actor=offer.creator, offer=offer)
    offer.refresh_from_db()
    assert offer.state == OfferState.DRAFT and offer.title == "Festiwal pieśni ludowej"
    assert (
        not OfferSubmission.objects.exists()
        and not AuditEntry.objects.filter(action="competitions.offer_submit").exists()
    )


def test_a_deadline_at_midnight_ending_the_year_holds_to_the_second_and_receipts_take_the_year_in_warsaw(opolskie):
    deadline = new_year()  # 00:00 on 1 January in Warsaw: 23:00 on 31 December in UTC
    with time_machine.travel(deadline - 3 * DAY, tick=False) as clock:
        competition = CompetitionFactory(offers_deadline=deadline)
        in_time, late = complete_offer(competition), complete_offer(competition)
        following = CompetitionFactory()  # its offers until 10 days later
        early = complete_offer(following)
        clock.move_to(deadline - timedelta(seconds=1))
        receipt = services.offer_submit(actor=in_time.creator, offer=in_time)
        clock.move_to(deadline)
        with pytest.raises(services.CompetitionError, match="too late|za późno"):
            services.offer_submit(actor=late.creator, offer=late)
        clock.move_to(deadline + timedelta(minutes=30))  # still 31 December in UTC
        next_years = services.offer_submit(actor=early.creator, offer=early)
    assert receipt.number.startswith(f"OF/{deadline.year - 1}/") and receipt.submitted_at < deadline
    assert next_years.number.startswith(f"OF/{deadline.year}/")
    late.refresh_from_db()
    assert late.state == OfferState.DRAFT and OfferSubmission.objects.count() == 2


def test_sources_that_do_not_add_up_are_refused_naming_the_rows(opolskie):
    offer = complete_offer(grant=8_000_00, own=1_000_00)
    with pytest.raises(services.OfferIncomplete) as error:
        services.offer_submit(actor=offer.creator, offer=offer)
    messages = [p.message for p in error.value.problems]
    assert any("V.B" in m and "row 2" in m and "V.A" in m and "row III" in m and "1\u00a0000,00" in m for m in messages)
    assert not OfferSubmission.objects.exists()
    assert Offer.objects.get().state == OfferState.DRAFT


def test_limits_of_the_announcement(opolskie):
    competition = CompetitionFactory(
        max_grant=7_000_00, min_grant=None, admin_costs_max_bp=500, own_contribution_min_bp=3000
    )
    offer = complete_offer(competition, grant=8_000_00, own=2_000_00)
    problems = [p.message for p in canonical.offer_problems(offer)]
    assert any("maximum grant" in m for m in problems)
    assert any("own contribution" in m and "30%" in m for m in problems)
    assert any("administrative costs" in m and "10%" in m and "5%" in m for m in problems)
    with pytest.raises(services.OfferIncomplete):
        services.offer_submit(actor=offer.creator, offer=offer)


def test_own_contribution_counts_only_the_kinds_the_announcement_admits(opolskie):
    competition = CompetitionFactory(own_counts_personal=False, own_contribution_min_bp=1000)
    offer = complete_offer(competition, grant=9_000_00, own=0, own_personal=1_000_00)
    assert any("own contribution" in p.message for p in canonical.offer_problems(offer))
    competition.own_counts_personal = True
    competition.save()
    offer = Offer.objects.get(pk=offer.pk)
    assert canonical.offer_problems(offer) == []


def test_minimum_grant_and_incomplete_sections(opolskie):
    competition = CompetitionFactory(min_grant=9_000_00)
    offer = complete_offer(competition, title="", declares_truth=False)
    messages = [p.message for p in canonical.offer_problems(offer)]
    assert any("minimum grant" in m for m in messages)
    assert any("title" in m for m in messages) and any("declaration" in m for m in messages)


def test_a_non_member_cannot_edit_or_submit_and_an_editor_cannot_submit(opolskie):
    offer = complete_offer()
    with pytest.raises(PermissionDenied):
        services.offer_save_step(actor=UserFactory(), offer=offer, step="opis", data={"title": "Przejęta"})
    editor = member(offer.organisation, role=OrganisationRole.EDITOR)
    services.offer_save_step(actor=editor, offer=offer, step="opis", data={"title": "Poprawiona"})
    with pytest.raises(PermissionDenied):
        services.offer_submit(actor=editor, offer=offer)
    with pytest.raises(PermissionDenied):
        services.offer_submit(actor=officer(opolskie), offer=offer)
    assert Offer.objects.get().title == "Poprawiona"


def test_saving_a_step_is_audited_with_the_amounts(opolskie):
    offer = complete_offer()
    services.offer_save_step(actor=offer.creator, offer=offer, step="zrodla", data={"grant_requested": 7_500_00})
    entry = AuditEntry.objects.get(action="competitions.offer_save")
    assert entry.details["changes"]["grant_requested"] == ["8\u00a0000,00\u00a0zł", "7\u00a0500,00\u00a0zł"]


def test_cost_lines_are_computed_by_the_server(opolskie):
    from decimal import Decimal

    offer = complete_offer()
    services.offer_set_cost_lines(
        actor=offer.creator,
        offer=offer,
        lines=[
            {
                "category": "action",
                "action": 1,
                "name": "Sala",
                "unit": "godzina",
                "unit_cost": 333,
                "units": Decimal("1.5"),
                "year": 1,
            },
            {
                "category": "administrative",
                "name": "Telefon",
                "unit": "miesiąc",
                "unit_cost": 100_00,
                "units": Decimal("2"),
                "year": 1,
            },
        ],
    )
    assert [line.total for line in offer.cost_lines.order_by("position")] == [500, 200_00]
    with pytest.raises(services.CompetitionError, match="action"):
        services.offer_set_cost_lines(
            actor=offer.creator,
            offer=offer,
            lines=[
                {
                    "category": "action",
                    "action": 9,
                    "name": "X",
                    "unit": "szt.",
                    "unit_cost": 1,
                    "units": Decimal("1"),
                    "year": 1,
                },
            ],
        )
    assert offer.cost_lines.count() == 2  # the refused change changed nothing


def test_joint_offer_needs_every_partner_to_confirm_the_current_content(opolskie):
    offer = complete_offer(lead_cost_share=6_000_00)
    partner_org = verified_organisation(name="Fundacja Partnerska")
    partner_admin = member(partner_org)
    partner = services.offer_partner_add(
        actor=offer.creator, offer=offer, organisation=partner_org, scope="Koncert 3", cost_share=4_000_00
    )
    assert mail.outbox and "Fundacja Partnerska" in mail.outbox[-1].body
    with pytest.raises(services.OfferIncomplete) as error:
        services.offer_submit(actor=offer.creator, offer=offer)
    assert any("not confirmed" in p.message for p in error.value.problems)
    # Only the partner's admin confirms.
    with pytest.raises(PermissionDenied):
        services.offer_partner_confirm(actor=offer.creator, partner=partner, agree=True)
    services.offer_partner_confirm(actor=partner_admin, partner=partner, agree=True)
    # A change after the confirmation makes it stale.
    services.offer_save_step(actor=offer.creator, offer=offer, step="opis", data={"title": "Festiwal zmieniony"})
    with pytest.raises(services.OfferIncomplete) as error:
        services.offer_submit(actor=offer.creator, offer=offer)
    assert any("confirm it again" in p.message for p in error.value.problems)
    services.offer_partner_confirm(actor=partner_admin, partner=partner, agree=True)
    submission = services.offer_submit(actor=offer.creator, offer=offer)
    document = json.loads(submission.content)
    assert [a["role"] for a in document["II"]["applicants"]] == ["lead", "partner"]
    body = {k: v for k, v in document.items() if k != "confirmations"}
    assert document["confirmations"][0]["body_sha256"] == canonical.sha256_hex(canonical.canonical_json(body))


def test_joint_offer_split_must_add_up(opolskie):
    offer = complete_offer(lead_cost_share=5_000_00)
    partner_org = verified_organisation()
    partner = services.offer_partner_add(
        actor=offer.creator, offer=offer, organisation=partner_org, scope="", cost_share=4_000_00
    )
    services.offer_partner_confirm(actor=member(partner_org), partner=partner, agree=True)
    problems = [p.message for p in canonical.offer_problems(offer)]
    assert any("V.C" in m and "9\u00a0000,00" in m for m in problems)


def test_unverified_partners_and_organisations_are_refused(opolskie):
    offer = complete_offer()
    from tests.organisations.factories import OrganisationFactory

    unverified = OrganisationFactory()
    with pytest.raises(services.CompetitionError, match="verified"):
        services.offer_partner_add(actor=offer.creator, offer=offer, organisation=unverified, scope="", cost_share=0)
    with pytest.raises(services.CompetitionError, match="verified"):
        services.offer_start(actor=member(unverified), competition=offer.competition, organisation=unverified)


def test_withdrawal_before_the_deadline_only(opolskie):
    offer = complete_offer()
    services.offer_submit(actor=offer.creator, offer=offer)
    services.offer_withdraw(actor=offer.creator, offer=offer)
    offer.refresh_from_db()
    assert offer.state == OfferState.WITHDRAWN and offer.submissions.get().withdrawn_at is not None
    with pytest.raises(services.CompetitionError):
        services.offer_submit(actor=offer.creator, offer=offer)
    late = complete_offer(CompetitionFactory())
    services.offer_submit(actor=late.creator, offer=late)
    Competition.objects.filter(pk=late.competition_id).update(offers_deadline=timezone.now() - DAY)
    creator = late.creator
    late = Offer.objects.get(pk=late.pk)
    with pytest.raises(services.CompetitionError, match="passed"):
        services.offer_withdraw(actor=creator, offer=late)
    assert Offer.objects.get(pk=late.pk).state == OfferState.SUBMITTED


def test_offer_start_only_while_open(opolskie):
    organisation = verified_organisation()
    person = member(organisation)
    competition = CompetitionFactory(offers_deadline=timezone.now() - DAY)
    with pytest.raises(services.CompetitionError):
        services.offer_start(actor=person, competition=competition, organisation=organisation)
    with pytest.raises(PermissionDenied):
        services.offer_start(actor=UserFactory(), competition=CompetitionFactory(), organisation=organisation)
    offer = services.offer_start(actor=person, competition=CompetitionFactory(), organisation=organisation)
    assert offer.state == OfferState.DRAFT and offer.contact_email == person.email


def test_partner_declines(opolskie):
    offer = complete_offer()
    partner_org = verified_organisation()
    partner = services.offer_partner_add(
        actor=offer.creator, offer=offer, organisation=partner_org, scope="", cost_share=0
    )
    partner = services.offer_partner_confirm(actor=member(partner_org), partner=partner, agree=False)
    assert partner.state == PartnerState.DECLINED
