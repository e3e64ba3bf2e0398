"""Dates survive a save (issue 13, Deliver 5): every edit form that shows a stored date or time, opened in a real
browser, shows it in the ISO form the browser's picker reads, and saved without changes (or with one unrelated
change) keeps every stored value as it was: the dates, the times to the minute or second the widget carries, and
the other fields. (The pickers were once filled as "01.03.2006", which they cannot show, so a save wiped the dates.)

The dates are derived from today; the times have minutes and, where the widget carries them, seconds.
"""

from datetime import timedelta

from django.forms.models import model_to_dict
from django.utils import timezone

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.organisations.models import Organisation
from tests.accounts.factories import OrganisationMembershipFactory
from tests.browser.helpers import log_in
from tests.dates import warsaw

SECRET = "JBSWY3DPEHPK3PXP"


def day(days: int):
    """Today (Polish time) plus `days`."""
    return timezone.localdate() + timedelta(days=days)


def moment(days: int, hour: int, minute: int, second: int = 0):
    """`days` after today at the given wall time in Warsaw (the afternoon or morning hours chosen below exist once,
    whatever the clocks do that night)."""
    date = day(days)
    return warsaw(date.year, date.month, date.day, hour, minute, second)


def local_input(value, *, seconds: bool) -> str:
    """What a datetime-local picker reads for `value`: Polish time, to the minute or to the second."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S" if seconds else "%Y-%m-%dT%H:%M")


def differences(before: dict, after: dict) -> dict:
    """{field: (before, after)} of every value that changed."""
    return {
        name: (before.get(name), after.get(name))
        for name in before.keys() | after.keys()
        if before.get(name) != after.get(name)
    }


def assert_inputs_show(page, expected: dict):
    """Each picker (by its id) shows the ISO value the browser reads."""
    shown = {selector: page.locator(selector).input_value() for selector in expected}
    assert shown == expected


def officer_with_totp(authority):
    """An officer of `authority` with TOTP set up (officers must use it)."""
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.accounts.factories import AuthorityMembershipFactory

    person = AuthorityMembershipFactory(authority=authority).user
    TOTP.activate(person, SECRET)
    return person


def officer_signed_in(page, authority):
    """An officer of `authority`, signed in with the password and the TOTP code."""
    person = officer_with_totp(authority)
    log_in(page, person.email, totp_secret=SECRET)
    return person


def save(page, url_after):
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{url_after}")


# --- Organisations ---------------------------------------------------------------------------------------------


def test_saving_the_organisation_after_changing_the_phone_keeps_its_dates(page, live_server, assert_accessible):
    founded = timezone.localdate() - timedelta(days=20 * 365)
    membership = OrganisationMembershipFactory(role=OrganisationRole.ADMIN)
    Organisation.objects.filter(pk=membership.organisation_id).update(
        founded_on=founded, is_opp=True, opp_since=founded + timedelta(days=900), phone="77 111 11 11"
    )
    organisation = Organisation.objects.get(pk=membership.organisation_id)
    before = model_to_dict(organisation, exclude=["id", "logo"])
    log_in(page, membership.user.email)
    page.goto(f"/organizacje/{organisation.slug}/edytuj/")
    assert_inputs_show(
        page, {"#id_founded_on": founded.isoformat(), "#id_opp_since": organisation.opp_since.isoformat()}
    )
    assert_accessible(page)
    page.locator("#id_phone").fill("77 222 22 22")
    save(page, organisation.get_absolute_url())
    after = model_to_dict(Organisation.objects.get(pk=organisation.pk), exclude=["id", "logo"])
    assert after.pop("phone") == "77 222 22 22"
    before.pop("phone")
    assert differences(before, after) == {}


# --- Competitions: the announcement, the offer and its schedule --------------------------------------------------


def competition_state(competition) -> dict:
    from ngo_platform.competitions.models import Competition

    stored = Competition.objects.get(pk=competition.pk)
    values = model_to_dict(stored, exclude=["id"])
    values["criteria"] = list(stored.criteria.order_by("position").values_list("position", "name", "max_points"))
    return values


def test_saving_the_announcement_unchanged_keeps_its_dates_and_the_deadline_to_the_second(
    page, live_server, assert_accessible
):
    from ngo_platform.competitions.models import CompetitionState
    from tests.competitions.factories import CompetitionFactory

    competition = CompetitionFactory(
        state=CompetitionState.DRAFT,
        version=0,
        published_at=None,
        task_start=day(120),
        task_end=day(300),
        selection_deadline=day(75),
        offers_deadline=moment(45, 15, 47, 23),
    )
    before = competition_state(competition)
    officer_signed_in(page, competition.authority)
    page.goto(f"/konkursy/{competition.slug}/edycja/")
    assert_inputs_show(
        page,
        {
            "#id_task_start": competition.task_start.isoformat(),
            "#id_task_end": competition.task_end.isoformat(),
            "#id_selection_deadline": competition.selection_deadline.isoformat(),
            "#id_offers_deadline": local_input(competition.offers_deadline, seconds=True),
        },
    )
    assert_accessible(page)
    save(page, competition.get_absolute_url())
    assert differences(before, competition_state(competition)) == {}


def offer_state(offer) -> dict:
    from ngo_platform.competitions.models import Offer

    stored = Offer.objects.get(pk=offer.pk)
    values = model_to_dict(stored, exclude=["id"])
    values["actions"] = list(
        stored.actions.order_by("position").values_list(
            "position", "name", "description", "target_group", "start", "end", "carried_out_by"
        )
    )
    values["results"] = list(
        stored.results.order_by("position").values_list("position", "name", "target_value", "monitoring")
    )
    values["cost_lines"] = list(
        stored.cost_lines.order_by("position").values_list(
            "position", "category", "action__position", "name", "unit", "unit_cost", "units", "total", "year"
        )
    )
    return values


def draft_offer():
    """A draft offer whose task runs inside the competition's period, on days that are not its first or last."""
    from tests.competitions.factories import CompetitionFactory, complete_offer

    competition = CompetitionFactory(task_start=day(100), task_end=day(330))
    return complete_offer(competition, date_from=day(109), date_to=day(317))


def test_saving_the_offer_task_unchanged_keeps_its_dates(page, live_server, assert_accessible):
    offer = draft_offer()
    before = offer_state(offer)
    log_in(page, offer.creator.email)
    page.goto(f"/konkursy/oferty/{offer.pk}/krok/opis/")
    assert_inputs_show(page, {"#id_date_from": offer.date_from.isoformat(), "#id_date_to": offer.date_to.isoformat()})
    assert_accessible(page)
    save(page, f"/konkursy/oferty/{offer.pk}/krok/dzialania/")
    assert differences(before, offer_state(offer)) == {}


def test_saving_the_offer_schedule_unchanged_keeps_the_dates_of_its_actions(page, live_server, assert_accessible):
    from ngo_platform.competitions.models import OfferAction

    offer = draft_offer()
    OfferAction.objects.filter(offer=offer, position=1).update(start=day(112), end=day(140))
    OfferAction.objects.create(offer=offer, position=2, name="Warsztaty", start=day(151), end=day(303))
    before = offer_state(offer)
    log_in(page, offer.creator.email)
    page.goto(f"/konkursy/oferty/{offer.pk}/krok/dzialania/")
    assert_inputs_show(
        page,
        {
            "#id_dzialania-0-start": day(112).isoformat(),
            "#id_dzialania-0-end": day(140).isoformat(),
            "#id_dzialania-1-start": day(151).isoformat(),
            "#id_dzialania-1-end": day(303).isoformat(),
        },
    )
    assert_accessible(page)
    save(page, f"/konkursy/oferty/{offer.pk}/krok/zasoby/")
    assert differences(before, offer_state(offer)) == {}


# --- Elections -----------------------------------------------------------------------------------------------


def test_saving_the_election_settings_unchanged_keeps_its_timeline_and_term(page, live_server, assert_accessible):
    from ngo_platform.elections.models import Election, ElectionState
    from tests.elections.factories import ElectionFactory

    election = ElectionFactory(
        stage=ElectionState.DRAFT,
        nominations_start=moment(5, 9, 15),
        nominations_end=moment(19, 16, 45),
        voting_start=moment(21, 8, 5),
        voting_end=moment(28, 20, 55),
        term_start=day(90),
        term_end=day(90 + 3 * 365 - 1),
    )
    before = model_to_dict(Election.objects.get(pk=election.pk), exclude=["id"])
    officer_signed_in(page, election.council.authority)
    page.goto(f"/wybory/{election.slug}/ustawienia/")
    assert_inputs_show(
        page,
        {
            "#id_nominations_start": local_input(election.nominations_start, seconds=False),
            "#id_nominations_end": local_input(election.nominations_end, seconds=False),
            "#id_voting_start": local_input(election.voting_start, seconds=False),
            "#id_voting_end": local_input(election.voting_end, seconds=False),
            "#id_term_start": election.term_start.isoformat(),
            "#id_term_end": election.term_end.isoformat(),
        },
    )
    assert_accessible(page)
    save(page, f"/wybory/{election.slug}/komisja/")
    assert differences(before, model_to_dict(Election.objects.get(pk=election.pk), exclude=["id"])) == {}


# --- Consultations -------------------------------------------------------------------------------------------


def test_saving_the_consultation_terms_unchanged_keeps_its_start_and_end(page, live_server, assert_accessible):
    from ngo_platform.consultations.models import Consultation
    from ngo_platform.territory.models import Authority
    from tests.consultations.factories import make_consultation

    brzeg = Authority.objects.get(unit__teryt="1601011")
    officer = officer_with_totp(brzeg)
    consultation = make_consultation(
        brzeg, officer=officer, state="draft", starts_at=moment(3, 10, 25), ends_at=moment(17, 23, 59, 59)
    )
    before = model_to_dict(Consultation.objects.get(pk=consultation.pk), exclude=["id"])
    log_in(page, officer.email, totp_secret=SECRET)
    page.goto(f"/konsultacje/{consultation.pk}/edytuj/")
    assert_inputs_show(
        page,
        {
            "#id_starts_at": local_input(consultation.starts_at, seconds=False),
            "#id_ends_at": local_input(consultation.ends_at, seconds=True),
        },
    )
    assert_accessible(page)
    save(page, consultation.get_absolute_url())
    assert differences(before, model_to_dict(Consultation.objects.get(pk=consultation.pk), exclude=["id"])) == {}


# --- Agreements ----------------------------------------------------------------------------------------------


def agreement_state(agreement) -> dict:
    from ngo_platform.agreements.models import Agreement

    stored = Agreement.objects.get(pk=agreement.pk)
    values = model_to_dict(stored, exclude=["id"])
    values["parties"] = list(
        stored.parties.order_by("position").values_list("position", "organisation_id", "signatories")
    )
    values["instalments"] = list(stored.instalments.order_by("position").values_list("position", "due_on", "amount"))
    return values


def test_saving_the_agreement_unchanged_keeps_the_task_dates_and_the_payment_schedule(
    page, live_server, assert_accessible
):
    from ngo_platform.agreements import services
    from tests.agreements.factories import funded_offer, ready_agreement
    from tests.competitions.factories import CompetitionFactory

    offer = funded_offer(competition=CompetitionFactory(task_start=day(100), task_end=day(330)))
    agreement = ready_agreement(offer, send=False)
    services.agreement_update(
        actor=agreement.clerk,
        agreement=agreement,
        data={"task_start": day(104), "task_end": day(326)},
        instalments=[{"due_on": day(111), "amount": 5_000_00}, {"due_on": day(222), "amount": 3_000_00}],
    )
    before = agreement_state(agreement)
    log_in(page, agreement.clerk.email, totp_secret=SECRET)
    page.goto(f"/umowy/{agreement.pk}/edycja/")
    assert_inputs_show(
        page,
        {
            "#id_task_start": day(104).isoformat(),
            "#id_task_end": day(326).isoformat(),
            "#id_raty-0-due_on": day(111).isoformat(),
            "#id_raty-1-due_on": day(222).isoformat(),
        },
    )
    assert_accessible(page)
    save(page, agreement.get_absolute_url())
    assert differences(before, agreement_state(agreement)) == {}


def test_recording_the_signing_with_the_date_the_form_shows_stores_that_date(page, live_server, assert_accessible):
    from ngo_platform.agreements.models import AgreementState
    from tests.agreements.factories import ready_agreement

    agreement = ready_agreement()
    assert agreement.state == AgreementState.SENT
    before = agreement_state(agreement)
    log_in(page, agreement.clerk.email, totp_secret=SECRET)
    page.goto(agreement.get_absolute_url())
    today = timezone.localdate()
    assert_inputs_show(page, {"#id_podpis-signed_on": today.isoformat()})
    assert_accessible(page)
    with page.expect_navigation():  # back to the agreement's page
        page.locator(f"form[action='/umowy/{agreement.pk}/podpis/'] button[type=submit]").click()
    after = agreement_state(agreement)
    assert (after.pop("state"), after.pop("signed_on")) == (AgreementState.SIGNED, today)
    before.pop("state"), before.pop("signed_on")
    assert differences(before, after) == {}
