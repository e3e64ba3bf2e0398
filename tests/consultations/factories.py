"""Consultations for tests, built through the services (so the rows are what the app would write)."""

from datetime import timedelta

from django.utils import timezone

from ngo_platform.consultations import services
from ngo_platform.consultations.models import Consultation, ConsultationState
from ngo_platform.core import drafting
from tests.accounts.factories import AuthorityMembershipFactory, OrganisationMembershipFactory

DRAFT = (
    "Rozdział I Postanowienia ogólne\n"
    "§ 1. Program określa zasady współpracy z organizacjami pozarządowymi.\n"
    "§ 2. 1. Współpraca odbywa się na zasadach pomocniczości.\n"
    "2. Program realizuje Zarząd Województwa.\n"
    "Rozdział II Zadania priorytetowe\n"
    "§ 3. Zadaniami priorytetowymi są zadania z zakresu kultury.\n"
)


def draft_tree() -> drafting.Unit:
    """The tree of DRAFT built by hand, so that these tests do not depend on the parser's progress."""
    U = drafting.Unit
    return U(
        "document",
        children=[
            U(
                "rozdzial",
                label="I",
                title="Postanowienia ogólne",
                citation="Rozdział I",
                children=[
                    U(
                        "paragraf",
                        label="1",
                        text="Program określa zasady współpracy z organizacjami pozarządowymi.",
                        citation="§ 1",
                    ),
                    U(
                        "paragraf",
                        label="2",
                        citation="§ 2",
                        children=[
                            U(
                                "ustep",
                                label="1",
                                text="Współpraca odbywa się na zasadach pomocniczości.",
                                citation="§ 2 ust. 1",
                            ),
                            U("ustep", label="2", text="Program realizuje Zarząd Województwa.", citation="§ 2 ust. 2"),
                        ],
                    ),
                ],
            ),
            U(
                "rozdzial",
                label="II",
                title="Zadania priorytetowe",
                citation="Rozdział II",
                children=[
                    U(
                        "paragraf",
                        label="3",
                        text="Zadaniami priorytetowymi są zadania z zakresu kultury.",
                        citation="§ 3",
                    ),
                ],
            ),
        ],
    )


def officer_of(authority, **kwargs):
    return AuthorityMembershipFactory(authority=authority, **kwargs).user


def representative_of(organisation=None):
    membership = OrganisationMembershipFactory(**({"organisation": organisation} if organisation else {}))
    return membership.user, membership.organisation


def consultation_data(**overrides):
    start = timezone.now() + timedelta(days=1)
    data = {
        "title": f"Projekt programu współpracy na rok {timezone.localdate().year + 1}",  # next year's programme
        "subject": "Roczny program współpracy z organizacjami pozarządowymi",
        "kind": "program_roczny",
        "legal_basis": "art. 5a ust. 1 ustawy o działalności pożytku publicznego i o wolontariacie",
        "responsible_person": "Jan Kowalski",
        "contact": "ngo@example.pl, 77 000 00 00",
        "open_to_residents": False,
        "mode": "pisemny",
        "starts_at": start,
        "ends_at": start + timedelta(days=14),
        "comment_visibility": "immediate",
    }
    data.update(overrides)
    return data


def make_consultation(authority, *, officer=None, state="open", root=None, **overrides) -> Consultation:
    """A consultation in `state`; dates are moved in the database to make the state plausible."""
    officer = officer or officer_of(authority)
    consultation = services.consultation_create(actor=officer, authority=authority, data=consultation_data(**overrides))
    services.draft_import(actor=officer, consultation=consultation, root=root or draft_tree(), source="test")
    if state == "draft":
        return consultation
    now = timezone.now()
    if state == "scheduled":
        services.consultation_schedule(actor=officer, consultation=consultation)
        return Consultation.objects.get(pk=consultation.pk)
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(days=15)
    )
    consultation.refresh_from_db()
    services.consultation_schedule(actor=officer, consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.state == ConsultationState.OPEN
    return consultation


def close(consultation, officer):
    """End the consultation (move its end into the past) and close it."""
    now = timezone.now()
    Consultation.objects.filter(pk=consultation.pk).update(
        starts_at=now - timedelta(days=15), ends_at=now - timedelta(seconds=1)
    )
    consultation.refresh_from_db()
    return services.consultation_close(actor=officer, consultation=consultation)
