"""Demo consultations for `ngo-platform seed_demo` (idempotent).

An open consultation of the voivodeship's annual cooperation programme with comments from several
organisations, and a closed one (a gmina's draft resolution) with its answers and published report.
Both are written through the services; the closed one is first created open and then moved into the
past in the database, as a record of a consultation held before the platform's demo started.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ngo_platform.accounts.demo import DEMO_DOMAIN
from ngo_platform.accounts.models import AuthorityRole, OrganisationRole, User
from ngo_platform.accounts.services import authority_membership_set, organisation_membership_set
from ngo_platform.consultations import services
from ngo_platform.consultations.models import Consultation, DraftUnit
from ngo_platform.core import drafting
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority, SphereCatalogue

OPEN_TITLE = "Program współpracy Samorządu Województwa Opolskiego z organizacjami pozarządowymi na rok 2027"
CLOSED_TITLE = "Projekt uchwały w sprawie regulaminu konsultacji z organizacjami pozarządowymi w Gminie Brzeg"


def _tree(spec) -> drafting.Unit:
    """[(kind, label, title, text, citation, children)] → the parser's tree (demo drafts do not depend on it)."""

    def build(items):
        return [
            drafting.Unit(kind, label=label, title=title, text=text, citation=citation, children=build(children))
            for kind, label, title, text, citation, children in items
        ]

    return drafting.Unit("document", children=build(spec))


PROGRAMME = [
    (
        "rozdzial",
        "I",
        "Postanowienia ogólne",
        "",
        "Rozdział I",
        [
            (
                "paragraf",
                "1",
                "",
                "Program określa cele, zasady, formy i zakres współpracy Samorządu Województwa Opolskiego z organizacjami pozarządowymi w roku 2027.",
                "§ 1",
                [],
            ),
            (
                "paragraf",
                "2",
                "",
                "Ilekroć w programie jest mowa o:",
                "§ 2",
                [
                    (
                        "punkt",
                        "1",
                        "",
                        "ustawie – należy przez to rozumieć ustawę o działalności pożytku publicznego i o wolontariacie;",
                        "§ 2 pkt 1",
                        [],
                    ),
                    (
                        "punkt",
                        "2",
                        "",
                        "organizacjach – należy przez to rozumieć organizacje pozarządowe i podmioty z art. 3 ust. 3 ustawy.",
                        "§ 2 pkt 2",
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "rozdzial",
        "II",
        "Cele programu",
        "",
        "Rozdział II",
        [
            (
                "paragraf",
                "3",
                "",
                "",
                "§ 3",
                [
                    (
                        "ustep",
                        "1",
                        "",
                        "Celem głównym programu jest wzmacnianie społeczeństwa obywatelskiego w województwie opolskim.",
                        "§ 3 ust. 1",
                        [],
                    ),
                    (
                        "ustep",
                        "2",
                        "",
                        "Cele szczegółowe to zwiększenie udziału organizacji w realizacji zadań publicznych i rozwój wolontariatu.",
                        "§ 3 ust. 2",
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "rozdzial",
        "III",
        "Priorytetowe zadania publiczne",
        "",
        "Rozdział III",
        [
            (
                "paragraf",
                "4",
                "",
                "Priorytetowymi zadaniami są zadania z zakresu kultury, sportu, turystyki, pomocy społecznej i ochrony zdrowia.",
                "§ 4",
                [],
            ),
            ("paragraf", "5", "", "Na realizację programu przeznacza się kwotę 4 800 000 zł.", "§ 5", []),
        ],
    ),
]
RESOLUTION = [
    (
        "paragraf",
        "1",
        "",
        "Uchwala się regulamin konsultacji z organizacjami pozarządowymi, stanowiący załącznik do uchwały.",
        "§ 1",
        [],
    ),
    ("paragraf", "2", "", "Konsultacje trwają nie krócej niż 7 dni.", "§ 2", []),
    ("paragraf", "3", "", "Uchwała wchodzi w życie po upływie 14 dni od dnia ogłoszenia.", "§ 3", []),
]


def _people():
    """The demo NGO representative (accounts.demo) and one more representative for TSKN."""
    ngo = User.objects.get(email=f"ngo@{DEMO_DOMAIN}")
    tskn_person, created = User.objects.get_or_create(
        email=f"tskn@{DEMO_DOMAIN}", defaults={"display_name": "Helga Nowak"}
    )
    if created:
        tskn_person.set_unusable_password()
        tskn_person.save(update_fields=["password"])
    tskn = Organisation.objects.filter(short_name="TSKN").first()
    if tskn is not None:
        organisation_membership_set(actor=None, organisation=tskn, user=tskn_person, role=OrganisationRole.ADMIN)
    return ngo, tskn_person, tskn


def _officer(authority):
    officer = User.objects.get(email=f"urzednik@{DEMO_DOMAIN}")
    if not officer.authority_memberships.filter(authority=authority).exists():
        authority_membership_set(actor=None, authority=authority, user=officer, role=AuthorityRole.OFFICER)
    return officer


def _create(authority, officer, title, kind, spec, *, days, spheres=()):
    now = timezone.now()
    consultation = services.consultation_create(
        actor=officer,
        authority=authority,
        data={
            "title": title,
            "subject": title,
            "kind": kind,
            "legal_basis": "art. 5 ust. 2 pkt 3 i art. 5a ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego i o wolontariacie",
            "responsible_person": "Jan Kowalski, Departament Współpracy z Organizacjami",
            "contact": "ngo@opolskie.example, 77 541 60 00",
            "mode": "pisemny",
            "comment_visibility": "immediate",
            "starts_at": now - timedelta(minutes=1),
            "ends_at": now + timedelta(days=days),
            "spheres": list(spheres),
        },
    )
    services.draft_import(actor=officer, consultation=consultation, root=_tree(spec), source="demo")
    services.consultation_schedule(actor=officer, consultation=consultation)
    return Consultation.objects.get(pk=consultation.pk)


@transaction.atomic
def seed() -> list:
    if Consultation.objects.filter(title__in=[OPEN_TITLE, CLOSED_TITLE]).exists():
        return []
    voivodeship = Authority.objects.get(unit__teryt="16")
    brzeg = Authority.objects.get(unit__teryt="1601011")
    ngo, tskn_person, tskn = _people()
    spzb = Organisation.objects.get(slug="stowarzyszenie-przyjaciol-ziemi-brzeskiej")
    ocw = Organisation.objects.get(slug="fundacja-opolskie-centrum-wolontariatu")
    _open_programme(voivodeship, _demo_spheres(), ngo, spzb, ocw, tskn_person, tskn)
    _closed_resolution(brzeg, ngo, spzb, ocw)
    return []


def _demo_spheres() -> list:
    """Four spheres of public benefit of the current catalogue (none before reference data are loaded)."""
    catalogue = SphereCatalogue.objects.order_by("-effective_from").first()
    return list(catalogue.spheres.filter(number__in=["16", "17", "27", "33"])) if catalogue else []


def _open_programme(voivodeship, spheres, ngo, spzb, ocw, tskn_person, tskn) -> None:
    """The voivodeship's open consultation of the annual programme, with comments from several organisations."""
    officer = _officer(voivodeship)
    open_one = _create(voivodeship, officer, OPEN_TITLE, "program_roczny", PROGRAMME, days=15, spheres=spheres)
    units = {u.citation: u for u in DraftUnit.objects.filter(consultation=open_one)}
    services.comment_submit(
        actor=ngo,
        consultation=open_one,
        unit=units["§ 4"],
        organisation=spzb,
        proposed_wording="Priorytetowymi zadaniami są zadania z zakresu kultury, ochrony dziedzictwa, sportu, turystyki, pomocy społecznej i ochrony zdrowia.",
        justification="Ochrona zabytków regionu wymaga osobnego priorytetu.",
    )
    services.comment_submit(
        actor=ngo,
        consultation=open_one,
        unit=units["§ 3 ust. 2"],
        organisation=ocw,
        proposed_wording="Cele szczegółowe to zwiększenie udziału organizacji w realizacji zadań publicznych, rozwój wolontariatu i wsparcie szkolnych klubów wolontariusza.",
        justification="Wolontariat szkolny jest najszybciej rosnącą formą aktywności w regionie.",
    )
    services.comment_submit(
        actor=ngo,
        consultation=open_one,
        unit=None,
        organisation=ocw,
        justification="Prosimy o harmonogram konkursów ogłoszony razem z programem.",
    )
    if tskn is not None:
        services.comment_submit(
            actor=tskn_person,
            consultation=open_one,
            unit=units["§ 5"],
            organisation=tskn,
            proposed_wording="Na realizację programu przeznacza się kwotę 5 200 000 zł.",
            justification="Kwota nie uwzględnia inflacji w porównaniu z rokiem 2026.",
        )


def _closed_resolution(brzeg, ngo, spzb, ocw) -> None:
    """The gmina's consultation of a draft resolution, held in the past: commented, closed, answered, reported."""
    officer = _officer(brzeg)
    closed = _create(brzeg, officer, CLOSED_TITLE, "projekt_uchwaly", RESOLUTION, days=10)
    units = {u.citation: u for u in DraftUnit.objects.filter(consultation=closed)}
    first = services.comment_submit(
        actor=ngo,
        consultation=closed,
        unit=units["§ 2"],
        organisation=spzb,
        proposed_wording="Konsultacje trwają nie krócej niż 14 dni.",
        justification="Siedem dni nie wystarcza małym organizacjom prowadzonym przez wolontariuszy.",
    )
    second = services.comment_submit(
        actor=ngo,
        consultation=closed,
        unit=None,
        organisation=ocw,
        justification="Regulamin powinien przewidywać spotkanie konsultacyjne na wniosek organizacji.",
    )
    # Held in the past: the dates move back, then the consultation closes and is answered through the services.
    now = timezone.now()
    Consultation.objects.filter(pk=closed.pk).update(
        starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=20)
    )
    services.consultation_close(actor=officer, consultation=closed)
    services.comments_answer(
        actor=officer,
        consultation=closed,
        comment_ids=[first.pk],
        position="partly",
        justification="Wydłużono minimalny czas do 10 dni.",
    )
    services.comments_answer(
        actor=officer, consultation=closed, comment_ids=[second.pk], position="accepted", justification=""
    )
    services.report_publish(actor=officer, consultation=Consultation.objects.get(pk=closed.pk))
