"""The demo working group for `ngo-platform seed_demo` (idempotent: nothing is added once any group exists).

The Opole voivodeship's group on the standard of consulting draft acts, coordinated by the demo officer
(urzednik@…), with the demo NGO account (ngo@…) on behalf of its association and the Opole city's officer
(urzedniczka@…). Its standard has two versions: the first accepted, the second proposed by the NGO account (the
consultation period 21 days instead of 14, the report within 30 days), commented on by the members, accepted and
sent to a public consultation, which waits as a draft on the officer's desk. A past meeting has its minutes (a PDF
drawn here), the next one is online. Everything goes through the services, so the audit log shows who did what.
"""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ngo_platform.accounts.demo import DEMO_DOMAIN
from ngo_platform.accounts.models import User
from ngo_platform.core import drafting
from ngo_platform.core.documents import render_pdf
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority
from ngo_platform.workgroups import services
from ngo_platform.workgroups.models import GroupMember, WorkingGroup

STANDARD = """Standard konsultowania projektów aktów prawa miejscowego z organizacjami pozarządowymi
Rozdział I
Postanowienia ogólne
§ 1.
Standard określa zasady konsultowania z organizacjami pozarządowymi projektów aktów prawa miejscowego w \
dziedzinach dotyczących ich działalności statutowej.
§ 2.
1. Konsultacje przeprowadza się w formie pisemnej przez portal współpracy.
2. Konsultacje mogą mieć także formę otwartego spotkania lub warsztatu.
Rozdział II
Przebieg konsultacji
§ 3.
1. Konsultacje trwają nie krócej niż 14 dni.
2. Ogłoszenie o konsultacjach publikuje się na portalu współpracy i w Biuletynie Informacji Publicznej.
§ 4.
Uwagi zgłasza się na formularzu zawierającym dotychczasowy zapis, proponowany zapis i uzasadnienie.
Rozdział III
Wyniki konsultacji
§ 5.
Informację o wynikach konsultacji, ze stanowiskiem wobec każdej uwagi, publikuje się w terminie 60 dni od ich \
zakończenia.
"""
CHANGES = {"§ 3 ust. 1": "Konsultacje trwają nie krócej niż 21 dni.", "§ 5": (
    "Informację o wynikach konsultacji, ze stanowiskiem wobec każdej uwagi i jego uzasadnieniem, publikuje się w "
    "terminie 30 dni od ich zakończenia."
)}  # fmt: skip


def seed() -> list:
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    authority = Authority.objects.filter(unit__teryt="16").first()
    association = Organisation.objects.filter(slug="stowarzyszenie-przyjaciol-ziemi-brzeskiej").first()
    if WorkingGroup.objects.exists() or authority is None or not {"urzednik", "ngo", "urzedniczka"} <= set(people):
        return []
    officer, ngo = people["urzednik"], people["ngo"]
    today = timezone.localdate()
    group = services.group_create(
        actor=officer,
        authority=authority,
        coordinator=officer,
        data={
            "name": "Zespół do spraw standardu konsultacji",
            "purpose": (
                "Opracowanie wspólnie z organizacjami pozarządowymi standardu konsultowania projektów aktów prawa "
                "miejscowego, który samorządy województwa mogą przyjąć jako własny."
            ),
            "term_starts": today - timedelta(days=90),
            "term_ends": today + timedelta(days=275),
            "public_work": True,
        },
    )
    GroupMember.objects.create(group=group, user=ngo, organisation=association)
    GroupMember.objects.create(group=group, user=people["urzedniczka"])
    _meetings(group, officer)
    document = services.document_create(actor=officer, group=group, title="Standard konsultacji społecznych")
    first = services.version_from_text(
        actor=officer, document=document, root=drafting.parse_text(STANDARD), note="Projekt wyjściowy biura."
    )
    services.version_step(actor=officer, version=first, name="propose")
    services.version_step(actor=officer, version=first, name="accept", note="Przyjęta na pierwszym spotkaniu.")
    second = services.version_from(actor=ngo, base=first, note="Dłuższe konsultacje i krótszy termin sprawozdania.")
    for unit in second.units.filter(citation__in=CHANGES):
        services.unit_edit(actor=ngo, unit=unit, title=unit.title, text=CHANGES[unit.citation])
    services.version_step(actor=ngo, version=second, name="propose")
    _comments(second, people)
    services.version_step(actor=officer, version=second, name="accept", note="Przyjęta po dyskusji na spotkaniu.")
    second.refresh_from_db()
    services.send_to_consultation(actor=officer, version=second)
    return []


def _meetings(group, officer) -> None:
    now = timezone.localtime()
    past = timezone.make_aware(datetime.combine(now.date() - timedelta(days=20), time(11, 0)))
    meeting = services.meeting_add(
        actor=officer,
        group=group,
        data={"starts_at": past, "place": "Urząd Marszałkowski, ul. Piastowska 14, Opole, sala 304",
              "agenda": "1. Projekt wyjściowy standardu.\n2. Terminy konsultacji."},
    )  # fmt: skip
    minutes = render_pdf("workgroups/documents/demo_minutes.html", {"group": group, "meeting": meeting, "present": 3})
    services.minutes_attach(
        actor=officer, meeting=meeting, upload=SimpleUploadedFile("protokol.pdf", minutes), file_type="pdf"
    )
    services.meeting_add(
        actor=officer,
        group=group,
        data={"starts_at": timezone.make_aware(datetime.combine(now.date() + timedelta(days=10), time(16, 0))),
              "online_url": "https://spotkania.example.pl/zespol-standard", "agenda": "Wersja 2 po konsultacjach."},
    )  # fmt: skip


def _comments(version, people) -> None:
    units = {unit.citation: unit for unit in version.units.all()}
    services.comment_submit(
        actor=people["urzedniczka"],
        version=version,
        unit=units["§ 3 ust. 1"],
        data={
            "current_wording": units["§ 3 ust. 1"].text,
            "proposed_wording": "Konsultacje trwają nie krócej niż 21 dni, a w okresie wakacji 30 dni.",
            "justification": "W lipcu i sierpniu organizacje odpowiadają wolniej.",
        },
    )
    services.comment_submit(
        actor=people["ngo"],
        version=version,
        unit=None,
        data={"justification": "Prosimy o dodanie wzoru formularza uwag jako załącznika do standardu."},
    )
