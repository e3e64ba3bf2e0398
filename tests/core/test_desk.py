"""The desk (/moje/): each role sees what waits for it and nothing of others', soonest deadline first; an item goes
when it is done; the page runs the same number of queries with one and with five items of each kind.

The items are named by their `code` (the kinds' words are translated by the catalogues)."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ngo_platform.accounts.models import AuthorityRole, OrganisationRole
from ngo_platform.agreements import services as agreement_services
from ngo_platform.competitions import canonical
from ngo_platform.competitions import services as competition_services
from ngo_platform.competitions.models import Competition, Offer
from ngo_platform.consultations import services as consultation_services
from ngo_platform.core import desk
from ngo_platform.core.desk import DeskItem
from ngo_platform.elections import services as election_services
from ngo_platform.elections.models import ElectionState
from ngo_platform.notifications import services as follow_services
from ngo_platform.organisations import services as organisation_services
from ngo_platform.organisations.models import ImportRun, ImportState, Invitation
from ngo_platform.territory.models import Authority, TerritorialUnit
from tests.accounts.factories import AuthorityMembershipFactory, UserFactory
from tests.agreements.factories import funded_offer, ready_agreement
from tests.community.factories import make_idea, make_news
from tests.competitions.evaluation import all_met, in_formal_check, score_all, submitted_offers
from tests.competitions.factories import CompetitionFactory, complete_offer, member, officer, verified_organisation
from tests.consultations.factories import close, make_consultation, representative_of
from tests.core.query_fixtures import sign_in
from tests.elections.factories import ElectionFactory, candidate
from tests.forum.factories import pending_post
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
URL = "/moje/"


def desk_of(client, person, *, officer=False):
    sign_in(client, person, officer=officer)
    response = client.get(URL)
    assert response.status_code == 200
    return response.context["items"]


def codes(items) -> set[str]:
    return {item.code for item in items}


def brzeg():
    return Authority.objects.get(unit__teryt="1601011")


def opole_seat():
    return TerritorialUnit.objects.get(teryt="1661011")


def elsewhere():
    """A gmina whose officers no test makes (in the Opole powiat)."""
    return TerritorialUnit.objects.get(teryt="1608043")


# --- What makes each kind of item --------------------------------------------------------------------------------


def offer_draft(person, organisation):
    return complete_offer(CompetitionFactory(), organisation, created_by=person)


def called_offer(person, organisation):
    competition = CompetitionFactory()
    clerk = officer(competition.authority)
    offer = complete_offer(competition, organisation, created_by=person)
    competition_services.offer_submit(actor=person, offer=offer)
    Competition.objects.filter(pk=competition.pk).update(offers_deadline=timezone.now() - DAY)
    competition_services.formal_check_start(actor=clerk, competition=Competition.objects.get(pk=competition.pk))
    competition_services.completion_call(
        actor=clerk,
        offer=Offer.objects.get(pk=offer.pk),
        message="Proszę uzupełnić opis zadania.",
        sections=["opis"],
        deadline=timezone.now() + 7 * DAY,
    )
    return Offer.objects.get(pk=offer.pk)


def partner_invitation(organisation):
    lead = complete_offer(CompetitionFactory(), verified_organisation())
    return competition_services.offer_partner_add(
        actor=lead.creator, offer=lead, organisation=organisation, scope="Warsztaty", cost_share=0
    )


def agreement_to_report(person, organisation):
    return ready_agreement(funded_offer(organisation=organisation, created_by=person), sign=True)


def agreement_to_update(person, organisation):
    return ready_agreement(funded_offer(organisation=organisation, created_by=person), granted=6_000_00)


def followed_consultation(person):
    follow_services.follow_add(actor=person, authority=Authority.objects.get(unit__teryt="16"))
    return make_consultation(Authority.objects.get(unit__teryt="16"))


def election_to_vote():
    election = ElectionFactory(stage=ElectionState.VOTING)
    candidate(election)
    return election


def invitation_to(person):
    return Invitation.objects.create(
        organisation=verified_organisation(),
        email=person.email,
        role=OrganisationRole.EDITOR,
        invited_by=UserFactory(),
        expires_at=timezone.now() + 14 * DAY,
    )


def own_request(person):
    organisation = OrganisationFactory(seat=elsewhere())
    return organisation_services.organisation_claim(actor=person, organisation=organisation)


def ngo_items(person, organisation):
    offer_draft(person, organisation)
    called_offer(person, organisation)
    partner_invitation(organisation)
    agreement_to_report(person, organisation)
    agreement_to_update(person, organisation)
    followed_consultation(person)
    election_to_vote()
    invitation_to(person)
    own_request(person)
    make_news(organisation=organisation, author=person, state="draft")


NGO_CODES = {
    "competitions.offer_draft",
    "competitions.completion_call",
    "competitions.partner_confirm",
    "agreements.report",
    "agreements.cost_update",
    "consultations.follow",
    "elections.vote",
    "organisations.invitation",
    "organisations.own_request",
    "community.news_draft",
}


def commented_and_closed(clerk, authority):
    consultation = make_consultation(authority, officer=clerk)
    person, organisation = representative_of()
    consultation_services.comment_submit(
        actor=person, consultation=consultation, unit=None, organisation=organisation, justification="Uzasadnienie."
    )
    close(consultation, clerk)
    return consultation


def in_formal_check_of(clerk, authority):
    competition = CompetitionFactory(authority=authority)
    offers = submitted_offers(competition, 1)
    competition_services.formal_check_start(actor=clerk, competition=competition)
    return competition, offers


def fill_report(ngo, report):
    """The report as planned: the costs of the offer (or of its accepted update), the grant, the rest own money."""
    achieved = {r.pk: {"achieved": "210", "comment": ""} for r in report.results.all()}
    spent = {line.pk: line.planned for line in report.cost_lines.all()}
    grant = report.agreement.granted_amount
    values = {"description": "Zorganizowano koncerty.", "grant": grant, "own_financial": sum(spent.values()) - grant}
    agreement_services.report_save(
        actor=ngo, report=report, data={**values, "declares_truth": True}, achieved=achieved, spent=spent
    )


def submitted_report(clerk, authority):
    agreement = ready_agreement(
        funded_offer(competition=CompetitionFactory(authority=authority)), clerk=clerk, sign=True
    )
    ngo = agreement.offer.created_by
    report = agreement_services.report_start(actor=ngo, agreement=agreement)
    fill_report(ngo, report)
    agreement_services.report_submit(actor=ngo, report=report)
    return agreement, report


def submitted_cost_update(clerk, authority):
    offer = funded_offer(competition=CompetitionFactory(authority=authority))
    agreement = ready_agreement(offer, clerk=clerk, granted=6_000_00)
    ngo = offer.created_by
    update = agreement_services.cost_update_start(actor=ngo, agreement=agreement)
    rows = [
        {
            "category": line.category,
            "action_no": line.action_no,
            "name": line.name,
            "unit": line.unit,
            "unit_cost": line.unit_cost,
            "units": Decimal("2") if line.position == 1 else line.units,
            "year": line.year,
        }
        for line in update.lines.all()
    ]
    agreement_services.cost_update_save(
        actor=ngo, cost_update=update, lines=rows, sources={"grant": 6_000_00, "own_financial": 1_000_00}
    )
    agreement_services.cost_update_submit(actor=ngo, cost_update=update)
    return agreement, update


def claim_in_brzeg():
    return organisation_services.organisation_claim(actor=UserFactory(), organisation=OrganisationFactory())


def officer_items(clerk, authority):
    commented_and_closed(clerk, authority)
    in_formal_check_of(clerk, authority)  # also a commission to appoint
    CompetitionFactory(authority=authority)  # a commission to appoint
    submitted_report(clerk, authority)
    submitted_cost_update(clerk, authority)
    funded_offer(competition=CompetitionFactory(authority=authority))
    claim_in_brzeg()
    make_news(authority=authority, author=clerk, state="draft")
    make_idea(authority=authority)


OFFICER_CODES = {
    "consultations.answer",
    "competitions.formal_check",
    "competitions.commission",
    "agreements.report_decide",
    "agreements.cost_update_decide",
    "agreements.create",
    "organisations.verify",
    "community.news_draft",
    "community.idea_answer",
}


def appointed(person, *, sign=False, evaluation=False):
    competition, clerk, offers = in_formal_check(2)
    if evaluation:
        for offer in offers:
            all_met(clerk, offer)
            competition_services.formal_decide(actor=clerk, offer=offer, correct=True)
    competition_services.commission_appoint(
        actor=clerk, competition=competition, user=person, role="official", chair=True
    )
    if evaluation:
        competition_services.evaluation_start(actor=clerk, competition=competition)
    competition.refresh_from_db()
    if sign:
        seat = competition.commission.get(user=person)
        text = competition_services.declaration_text(seat, competition)
        competition_services.declaration_sign(actor=person, competition=competition, digest=canonical.sha256_hex(text))
    return competition, [Offer.objects.get(pk=o.pk) for o in offers]


def admin_items(admin):
    organisation_services.organisation_claim(actor=UserFactory(), organisation=OrganisationFactory(seat=elsewhere()))
    ImportRun.objects.create(created_by=admin, source_name="organizacje.csv", state=ImportState.QUEUED)
    make_news(author=admin, state="draft")  # the platform's
    make_idea()  # addressed to the platform
    pending_post()  # a new account's post with a link, in the forum


# --- Who sees what -----------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in_and_back(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/konto/login/?next=/moje/"


def test_the_header_links_the_desk_after_login_and_marks_it_current(client, reference_data):
    assert 'href="/moje/"' not in client.get("/").content.decode()
    sign_in(client, UserFactory())
    home = client.get("/o-platformie/").content.decode()
    assert '<a href="/moje/">' in home
    assert home.index('href="/moje/"') < home.index('href="/konto/profil/"')
    assert '<a href="/moje/" aria-current="page">' in client.get(URL).content.decode()


def test_nothing_waits_for_a_resident_and_the_page_says_what_to_do(client, reference_data):
    items = desk_of(client, UserFactory())
    assert items == []
    page = client.get(URL).content.decode()
    assert 'href="/konkursy/?status=open"' in page and 'href="/organizacje/zarejestruj/"' in page
    assert 'href="/konto/obserwowane/"' in page


def test_each_role_sees_its_own_items_and_no_one_elses(client, reference_data):
    organisation = verified_organisation()
    ngo = member(organisation)
    ngo_items(ngo, organisation)
    clerk = officer(brzeg())
    officer_items(clerk, brzeg())
    juror = UserFactory()
    appointed(juror)
    appointed(juror, sign=True, evaluation=True)
    admin = UserFactory(is_staff=True)
    admin_items(admin)

    assert codes(desk_of(client, ngo)) == NGO_CODES
    assert codes(desk_of(client, clerk, officer=True)) == OFFICER_CODES
    assert codes(desk_of(client, juror)) == {"competitions.declaration", "competitions.score"}
    assert codes(desk_of(client, admin, officer=True)) == {
        "organisations.verify",
        "organisations.import",
        "community.news_draft",
        "community.idea_answer",
        "forum.moderation",
    }
    assert desk_of(client, UserFactory()) == []
    # An editor of the same organisation: the offers, not what only its administrators sign and submit.
    editor = member(organisation, role=OrganisationRole.EDITOR)
    assert codes(desk_of(client, editor)) == {
        "competitions.offer_draft",
        "competitions.completion_call",
        "community.news_draft",
    }
    # An officer of another authority sees none of Brzeg's.
    assert desk_of(client, officer(Authority.objects.get(unit__teryt="1661")), officer=True) == []


def test_the_admins_see_every_verification_and_the_officers_their_territory(client, reference_data):
    in_brzeg, in_opole = (
        claim_in_brzeg(),
        organisation_services.organisation_claim(
            actor=UserFactory(), organisation=OrganisationFactory(seat=opole_seat())
        ),
    )
    urls = lambda items: {item.url for item in items}  # noqa: E731
    detail = "/organizacje/weryfikacja/{}/".format
    assert urls(desk_of(client, officer(brzeg()), officer=True)) == {detail(in_brzeg.pk)}
    city = Authority.objects.get(unit__teryt="1661")
    assert urls(desk_of(client, officer(city), officer=True)) == {detail(in_opole.pk)}
    assert urls(desk_of(client, UserFactory(is_staff=True), officer=True)) == {detail(in_brzeg.pk), detail(in_opole.pk)}
    # Not one's own request: another verifier decides it.
    applying = officer(brzeg())
    organisation_services.organisation_claim(actor=applying, organisation=OrganisationFactory())
    assert [item.url for item in desk_of(client, applying, officer=True) if item.code == "organisations.verify"] == [
        detail(in_brzeg.pk)
    ]


def test_many_requests_to_verify_end_in_one_link_to_the_list(client, reference_data):
    for _ in range(12):
        claim_in_brzeg()
    items = desk_of(client, officer(brzeg()), officer=True)
    assert [item.code for item in items].count("organisations.verify") == 10
    assert items[-1].code == "organisations.verify_more" and items[-1].url == "/organizacje/weryfikacja/"


def test_soonest_deadline_first_and_those_without_one_last(client, reference_data):
    organisation = verified_organisation()
    ngo = member(organisation)
    ngo_items(ngo, organisation)
    items = desk_of(client, ngo)
    dues = [item.due for item in items]
    dated = [due for due in dues if due is not None]
    assert dated == sorted(dated) and dues == dated + [None] * (len(dues) - len(dated))
    # Voting closes in 6 days, the call in 7, the offers deadline in 10 (the draft's competition
    # was announced a moment before the joint offer's), the invitation expires in 14, the consultation ends in 15, the report
    # is due after the task; the verification request, the cost calculation and the news draft have no deadline.
    assert [item.code for item in items] == [
        "elections.vote",
        "competitions.completion_call",
        "competitions.offer_draft",
        "competitions.partner_confirm",
        "organisations.invitation",
        "consultations.follow",
        "agreements.report",
        "organisations.own_request",
        "agreements.cost_update",
        "community.news_draft",
    ]
    page = client.get(URL).content.decode()
    assert page.index("/wybory/") < page.index("/uzupelnienie/")


def test_a_day_lasts_until_midnight_in_warsaw_and_a_passed_deadline_is_overdue(monkeypatch, reference_data):
    now = timezone.now()
    today = timezone.localdate(now)
    evening = timezone.make_aware(datetime.combine(today, datetime.min.time())) + timedelta(hours=23)
    items = [
        DeskItem("t.none", "Bez terminu", "a", "/a/"),
        DeskItem("t.tomorrow", "Jutro", "b", "/b/", evening + timedelta(hours=2)),
        DeskItem("t.today", "Dziś", "c", "/c/", today),
        DeskItem("t.evening", "Wieczorem", "d", "/d/", evening),
        DeskItem("t.yesterday", "Wczoraj", "e", "/e/", today - DAY),
    ]
    monkeypatch.setattr(desk, "_providers", {"test": lambda person: items})
    collected = desk.collect(UserFactory(), now=now)
    assert [item.code for item in collected] == ["t.yesterday", "t.evening", "t.today", "t.tomorrow", "t.none"]
    assert [item.overdue for item in collected] == [True, now >= evening, False, False, False]
    assert collected[2].due == timezone.make_aware(datetime.combine(today + DAY, datetime.min.time()))
    assert desk.collect(UserFactory(is_active=False), now=now) == []


def test_the_page_shows_each_items_kind_deadline_and_link_and_marks_an_overdue_report(client, reference_data):
    organisation = verified_organisation()
    ngo = member(organisation)
    agreement = agreement_to_report(ngo, organisation)
    from ngo_platform.agreements.models import Agreement

    yesterday = timezone.localdate() - DAY
    Agreement.objects.filter(pk=agreement.pk).update(
        report_due=yesterday, task_start=yesterday - 60 * DAY, task_end=yesterday - 30 * DAY
    )
    draft = offer_draft(ngo, organisation)
    items = desk_of(client, ngo)
    assert [(item.code, item.overdue) for item in items] == [
        ("agreements.report", True),
        ("competitions.offer_draft", False),
    ]
    page = client.get(URL).content.decode()
    report = page[page.index(f'href="/umowy/{agreement.pk}/sprawozdanie/"') - 400 :]
    assert "badge-warning" in report[:600] and f'<time datetime="{yesterday:%Y-%m-%d}">' in report
    moment = timezone.localtime(draft.competition.offers_deadline)
    assert (
        f'<time datetime="{moment.replace(microsecond=0).isoformat()}">' in page
        and f'href="{draft.get_absolute_url()}"' in page
    )
    assert page.count('class="result"') == 2


def test_every_module_registers_its_provider():
    modules = {"organisations", "consultations", "elections", "competitions", "agreements", "community", "forum"}
    assert set(desk.registered()) == modules


# --- Items go when they are done ----------------------------------------------------------------------------------


def test_an_offer_goes_when_submitted_or_past_its_deadline_and_a_call_when_answered(client, reference_data):
    organisation = verified_organisation()
    ngo = member(organisation)
    draft, late = offer_draft(ngo, organisation), offer_draft(ngo, organisation)
    called = called_offer(ngo, organisation)
    items = desk_of(client, ngo)
    assert {item.url for item in items} == {
        draft.get_absolute_url(),
        late.get_absolute_url(),
        f"/konkursy/oferty/{called.pk}/uzupelnienie/",
    }
    assert next(i for i in items if i.url == draft.get_absolute_url()).deadline == draft.competition.offers_deadline
    competition_services.offer_submit(actor=ngo, offer=draft)
    Competition.objects.filter(pk=late.competition_id).update(offers_deadline=timezone.now() - timedelta(seconds=1))
    competition_services.completion_answer(actor=ngo, offer=called)
    assert desk_of(client, ngo) == []


def test_a_joint_offer_goes_once_the_partner_answers(client, reference_data):
    organisation = verified_organisation()
    ngo = member(organisation)
    partner = partner_invitation(organisation)
    assert [item.url for item in desk_of(client, ngo)] == [f"/konkursy/partnerstwa/{partner.pk}/"]
    competition_services.offer_partner_confirm(actor=ngo, partner=partner, agree=True)
    assert desk_of(client, ngo) == []


def test_the_cost_update_then_the_signing_then_the_report_each_go_when_done(client, reference_data):
    voivodeship = Authority.objects.get(unit__teryt="16")
    clerk = officer(voivodeship)
    agreement, update = submitted_cost_update(clerk, voivodeship)
    ngo = agreement.offer.created_by

    def agreement_codes(person, **kwargs):
        return {code for code in codes(desk_of(client, person, **kwargs)) if code.startswith("agreements.")}

    assert agreement_codes(ngo) == set()  # submitted: waiting for the authority
    assert agreement_codes(clerk, officer=True) == {"agreements.cost_update_decide"}
    agreement_services.cost_update_decide(actor=clerk, cost_update=update, accept=False, note="Proszę poprawić.")
    assert [(item.code, item.url) for item in desk_of(client, ngo)] == [
        ("agreements.cost_update", f"/umowy/{agreement.pk}/kalkulacja/")
    ]
    assert agreement_codes(clerk, officer=True) == set()
    agreement_services.cost_update_submit(actor=ngo, cost_update=update)
    agreement_services.cost_update_decide(actor=clerk, cost_update=update, accept=True)
    assert codes(desk_of(client, ngo)) == {"agreements.sign"}
    agreement_services.agreement_sign(actor=clerk, agreement=agreement, signed_on=timezone.localdate())
    agreement.refresh_from_db()
    assert [(i.code, i.deadline) for i in desk_of(client, ngo)] == [("agreements.report", agreement.report_due)]
    report = agreement_services.report_start(actor=ngo, agreement=agreement)
    fill_report(ngo, report)
    agreement_services.report_submit(actor=ngo, report=report)
    assert desk_of(client, ngo) == []
    assert agreement_codes(clerk, officer=True) == {"agreements.report_decide"}
    agreement_services.report_decide(actor=clerk, report=report, accept=False, note="Brak listy obecności.")
    assert [i.code for i in desk_of(client, ngo)] == ["agreements.report"]
    agreement_services.report_submit(actor=ngo, report=report)
    agreement_services.report_decide(actor=clerk, report=report, accept=True)
    assert desk_of(client, ngo) == [] and agreement_codes(clerk, officer=True) == set()  # settled


def test_a_followed_consultation_closing_soon_goes_once_commented(client, reference_data):
    person, organisation = representative_of()
    voivodeship = Authority.objects.get(unit__teryt="16")
    follow_services.follow_add(actor=person, authority=voivodeship)
    soon = make_consultation(voivodeship)
    later = make_consultation(voivodeship)
    from ngo_platform.consultations.models import Consultation

    Consultation.objects.filter(pk=later.pk).update(ends_at=timezone.now() + 30 * DAY)
    make_consultation(brzeg())  # not followed
    items = desk_of(client, person)
    assert [(i.code, i.url, i.deadline) for i in items] == [
        ("consultations.follow", soon.get_absolute_url(), soon.ends_at)
    ]
    consultation_services.comment_submit(
        actor=person, consultation=soon, unit=None, organisation=organisation, justification="Uzasadnienie."
    )
    assert desk_of(client, person) == []
    # A resident following it cannot comment where residents are not invited: nothing for them.
    resident = UserFactory()
    follow_services.follow_add(actor=resident, authority=voivodeship)
    assert desk_of(client, resident) == []


def test_a_consultation_is_followed_by_its_territory_or_its_sphere_too(client, reference_data):
    from ngo_platform.territory.models import Sphere

    by_territory, by_sphere = representative_of()[0], representative_of()[0]
    sphere = Sphere.objects.order_by("pk").first()
    follow_services.follow_add(actor=by_territory, unit=TerritorialUnit.objects.get(teryt="1601"))
    follow_services.follow_add(actor=by_sphere, sphere=sphere)
    in_brzeg = make_consultation(brzeg())
    with_sphere = make_consultation(Authority.objects.get(unit__teryt="1661"), spheres=[sphere])
    make_consultation(Authority.objects.get(unit__teryt="16"))  # neither
    assert [i.url for i in desk_of(client, by_territory)] == [in_brzeg.get_absolute_url()]
    assert [i.url for i in desk_of(client, by_sphere)] == [with_sphere.get_absolute_url()]


def test_the_officers_answers_then_the_report_then_nothing(client, reference_data):
    clerk = officer(brzeg())
    consultation = commented_and_closed(clerk, brzeg())
    assert [(i.code, i.url) for i in desk_of(client, clerk, officer=True)] == [
        ("consultations.answer", f"/konsultacje/{consultation.pk}/odpowiedzi/")
    ]
    consultation_services.comments_answer(
        actor=clerk,
        consultation=consultation,
        comment_ids=list(consultation.comments.values_list("pk", flat=True)),
        position="accepted",
        justification="",
    )
    assert codes(desk_of(client, clerk, officer=True)) == {"consultations.report"}
    consultation_services.report_publish(actor=clerk, consultation=consultation)
    assert desk_of(client, clerk, officer=True) == []


def test_the_vote_goes_once_cast_and_the_nomination_once_the_organisation_has_nominated(client, reference_data):
    organisation = verified_organisation()
    ngo = member(organisation)
    voting = election_to_vote()
    nominating = ElectionFactory(stage=ElectionState.NOMINATIONS)
    items = desk_of(client, ngo)
    assert [(i.code, i.url) for i in items] == [
        ("elections.nominate", f"/wybory/{nominating.slug}/zglos/"),
        ("elections.vote", f"/wybory/{voting.slug}/glosuj/"),
    ]
    election_services.ballot_cast(
        actor=ngo, election=voting, organisation=organisation, candidate_ids=[voting.candidates.get().pk]
    )
    election_services.candidate_nominate(
        actor=ngo,
        election=nominating,
        organisation=organisation,
        data={"full_name": "Anna Kandydatka", "email": "anna.kandydatka@example.pl", "qualifications": "Rada."},
    )
    assert desk_of(client, ngo) == []
    # An organisation outside the council's territory does not act in its elections: Brzeg's council, an
    # organisation of Opole.
    from tests.elections.factories import CouncilFactory

    local = ElectionFactory(stage=ElectionState.VOTING, council=CouncilFactory(authority=brzeg()))
    outside = member(verified_organisation(seat=opole_seat()))
    assert local.slug not in " ".join(item.url for item in desk_of(client, outside))
    assert [item.url for item in desk_of(client, ngo)] == [f"/wybory/{local.slug}/glosuj/"]


def test_an_invitation_goes_once_accepted_and_when_it_expires(client, reference_data):
    person = UserFactory()
    invitation, expired = invitation_to(person), invitation_to(person)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - DAY)
    assert [i.url for i in desk_of(client, person)] == [f"/organizacje/zaproszenie/{invitation.token}/"]
    organisation_services.invitation_accept(actor=person, invitation=invitation)
    assert desk_of(client, person) == []


def test_a_verification_request_stays_while_pending_then_goes_when_verified(client, reference_data):
    person = UserFactory()
    request = own_request(person)
    assert [(i.code, i.url) for i in desk_of(client, person)] == [
        ("organisations.own_request", f"/organizacje/wniosek/{request.pk}/")
    ]
    organisation_services.verification_decide(actor=UserFactory(is_staff=True), request=request, approve=True)
    assert desk_of(client, person) == []


def test_the_formal_check_then_the_hand_over_and_the_commission_to_appoint(client, reference_data):
    clerk = officer(brzeg())
    competition, offers = in_formal_check_of(clerk, brzeg())
    assert codes(desk_of(client, clerk, officer=True)) == {"competitions.formal_check", "competitions.commission"}
    competition_services.commission_appoint(actor=clerk, competition=competition, user=UserFactory(), role="official")
    assert codes(desk_of(client, clerk, officer=True)) == {"competitions.formal_check"}
    all_met(clerk, offers[0])
    competition_services.formal_decide(actor=clerk, offer=offers[0], correct=True)
    assert codes(desk_of(client, clerk, officer=True)) == {"competitions.evaluation_start"}
    competition_services.evaluation_start(actor=clerk, competition=competition)
    assert desk_of(client, clerk, officer=True) == []


def test_a_small_grant_waits_for_its_organisation_then_for_the_authority_before_and_after_its_comments(
    client, reference_data
):
    from tests.competitions.test_small_grants import small_offer

    clerk = officer(brzeg())
    offer = small_offer(brzeg())
    assert [(i.code, i.deadline) for i in desk_of(client, offer.admin)] == [("competitions.offer_draft", None)]
    assert desk_of(client, clerk, officer=True) == []  # a draft is not the authority's yet
    competition_services.offer_submit(actor=offer.admin, offer=offer)
    assert desk_of(client, offer.admin) == []
    to_decide = [("competitions.small_grant", f"/konkursy/male-granty/{offer.pk}/")]
    assert [(i.code, i.url) for i in desk_of(client, clerk, officer=True)] == to_decide
    competition_services.small_grant_pool_set(
        actor=clerk, authority=brzeg(), year=offer.date_from.year, amount=1_000_000_00
    )
    competition_services.small_grant_publish(actor=clerk, offer=Offer.objects.get(pk=offer.pk))
    assert desk_of(client, clerk, officer=True) == []  # the comments run
    Offer.objects.filter(pk=offer.pk).update(comments_until=timezone.now() - timedelta(seconds=1))
    assert [(i.code, i.url) for i in desk_of(client, clerk, officer=True)] == to_decide
    assert desk_of(client, officer(Authority.objects.get(unit__teryt="16")), officer=True) == []


def test_the_declaration_goes_once_signed_and_the_scores_once_given(client, reference_data):
    juror = UserFactory()
    competition, offers = appointed(juror, evaluation=True)
    assert [(i.code, i.url) for i in desk_of(client, juror)] == [
        ("competitions.declaration", f"/konkursy/{competition.slug}/ocena/")
    ]
    seat = competition.commission.get(user=juror)
    text = competition_services.declaration_text(seat, competition)
    competition_services.declaration_sign(actor=juror, competition=competition, digest=canonical.sha256_hex(text))
    items = desk_of(client, juror)
    assert [i.code for i in items] == ["competitions.score"] and "2" in items[0].detail
    score_all(juror, offers[0], 5)
    assert "1" in desk_of(client, juror)[0].detail
    score_all(juror, offers[1], 5)
    assert desk_of(client, juror) == []
    assert desk_of(client, UserFactory()) == []  # not on the commission


def test_an_import_goes_when_done_and_a_failed_one_of_ones_own_stays_until_the_next(client, reference_data):
    admin = UserFactory(is_staff=True)
    run = ImportRun.objects.create(created_by=admin, source_name="a.csv", state=ImportState.QUEUED)
    assert [i.url for i in desk_of(client, admin, officer=True)] == [f"/organizacje/import/{run.pk}/"]
    ImportRun.objects.filter(pk=run.pk).update(state=ImportState.FAILED)
    assert codes(desk_of(client, admin, officer=True)) == {"organisations.import"}
    ImportRun.objects.create(created_by=admin, source_name="b.csv", state=ImportState.DONE)
    assert desk_of(client, admin, officer=True) == []
    # Imports are the platform admins' only.
    assert desk_of(client, officer(brzeg()), officer=True) == []


# --- The number of queries does not grow with the items ----------------------------------------------------------

# The desk's exact queries for each role (session, user, MFA, memberships, then each provider's fixed reads).
# The community's news drafts (one query for each but the juror) and ideas to answer (officers and admins: one);
# the forum's categories the person moderates (none for an admin, who moderates all) and the posts to moderate (one
# for a moderator or an admin)
QUERIES = {"ngo": 21, "officer": 21, "juror": 10, "admin": 13}


def measured(client, person, *, officer=False) -> tuple[int, int]:
    sign_in(client, person, officer=officer)
    client.get(URL)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    return len(queries), len(response.context["items"])


def test_the_same_queries_with_one_and_with_five_items_of_each_kind(client, reference_data):
    organisation = verified_organisation()
    ngo = member(organisation)
    clerk = officer(brzeg())
    AuthorityMembershipFactory(
        user=clerk, authority=Authority.objects.get(unit__teryt="1661"), role=AuthorityRole.ADMIN
    )
    juror, admin = UserFactory(), UserFactory(is_staff=True)
    people = {"ngo": (ngo, False), "officer": (clerk, True), "juror": (juror, False), "admin": (admin, True)}

    def build():
        ngo_items(ngo, organisation)
        officer_items(clerk, brzeg())
        appointed(juror)
        appointed(juror, sign=True, evaluation=True)
        admin_items(admin)

    build()
    first = {name: measured(client, person, officer=mfa) for name, (person, mfa) in people.items()}
    for _ in range(4):
        build()
    second = {name: measured(client, person, officer=mfa) for name, (person, mfa) in people.items()}
    for name in people:
        (queries_1, items_1), (queries_5, items_5) = first[name], second[name]
        assert items_5 > items_1, name
        assert queries_5 == queries_1 == QUERIES[name], (name, queries_1, queries_5)
