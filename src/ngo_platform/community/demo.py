"""Demo news and events for `ngo-platform seed_demo` (idempotent: nothing is added once any news exists; no event
once any event exists).

News from two organisations (written by the demo NGO account, ngo@…, which represents both), from the Opole
voivodeship (by the demo officer, urzednik@…) and from the platform (by the demo administrator), written and
published through the services, so the audit log shows them as the people did it; one is archived and one waits
as a draft on the NGO account's desk. The voivodeship's item carries a picture drawn here (a PNG made by Pillow)
with its alternative text.

A month of events from today on: a training with registration here (three places, already taken by three demo people, so
the resident, mieszkaniec@…, lands on the waiting list), an all-day festival, an
online webinar, a meeting with registration on the organiser's page and a cancelled one.

Three ideas and needs addressed to the voivodeship, supported by the demo people (one on behalf of the NGO account's
association); the demo officer has answered one: accepted, into next year's programme of cooperation.
"""

import io
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from ngo_platform.accounts.demo import DEMO_DOMAIN
from ngo_platform.accounts.models import User
from ngo_platform.community import services
from ngo_platform.community.models import Event, Idea, News
from ngo_platform.community.selectors import Party
from ngo_platform.community.workflows import NEWS
from ngo_platform.core.images import image_normalise
from ngo_platform.core.workflow import perform
from ngo_platform.organisations.models import Organisation
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.territory.models import Authority

BRZEG = "stowarzyszenie-przyjaciol-ziemi-brzeskiej"
VOLUNTEERS = "fundacja-opolskie-centrum-wolontariatu"

# (party, title, lead, body in Markdown, sphere numbers, days ago published or None for a draft, archived)
ITEMS = [
    (
        BRZEG,
        "Sprzątamy brzegi Odry – zapraszamy wolontariuszy",
        "W sobotę sprzątamy nadodrzańskie bulwary w Brzegu. Rękawice i worki zapewniamy.",
        "## Kiedy i gdzie\n\nZbiórka o **10:00** przy moście Piastowskim. Potrwa około trzech godzin.\n\n"
        "## Co zabrać\n\n- wygodne buty,\n- coś do picia,\n- dobry humor.\n\n"
        "Zgłoszenia przyjmujemy mailowo lub na miejscu. Więcej o nas: [nasza strona](https://example.org/).",
        ["13"],
        2,
        False,
    ),
    (
        BRZEG,
        "Podsumowanie roku w stowarzyszeniu",
        "Czterdzieści spotkań, dwie wystawy i nowa ścieżka historyczna: tak minął nam rok.",
        "Dziękujemy wszystkim, którzy byli z nami. Sprawozdanie merytoryczne opublikujemy po jego "
        "zatwierdzeniu przez walne zebranie.\n\n> Najważniejsi są ludzie, którzy przychodzą.",
        ["16"],
        None,
        False,
    ),
    (
        VOLUNTEERS,
        "Szkolenie dla koordynatorów wolontariatu",
        "Bezpłatne szkolenie z prawa wolontariatu i ubezpieczeń dla organizacji z województwa opolskiego.",
        "Szkolenie poprowadzą prawnicy Centrum. Omówimy **porozumienia z wolontariuszami** (art. 44 ustawy o "
        "działalności pożytku publicznego i o wolontariacie), ubezpieczenie NNW i świadczenia.\n\n"
        "1. Część prawna\n2. Warsztat: wzory dokumentów\n3. Pytania",
        ["33"],
        6,
        False,
    ),
    (
        "16",
        "Nabór do Wojewódzkiej Rady Działalności Pożytku Publicznego",
        "Zarząd Województwa zaprasza organizacje do zgłaszania kandydatów do Rady nowej kadencji.",
        "Kandydatów zgłaszają organizacje pozarządowe działające na terenie województwa. Wybory odbywają się na "
        "platformie, w zakładce **Wybory do rad**.\n\nSzczegóły w ogłoszeniu Zarządu.",
        ["32"],
        1,
        False,
    ),
    (
        "16",
        "Program współpracy na przyszły rok – podziękowanie za uwagi",
        "Dziękujemy organizacjom za uwagi do projektu programu współpracy; raport z konsultacji jest dostępny.",
        "Uwzględniliśmy większość uwag dotyczących małych grantów i terminów naborów.",
        ["32"],
        40,
        True,
    ),
    (
        None,
        "Witamy na platformie współpracy",
        "Organizacje i samorządy mogą tu publikować aktualności, konsultować projekty aktów i ogłaszać konkursy.",
        "Aktualności piszą przedstawiciele organizacji i urzędnicy w imieniu swoich instytucji. Treść formatuje się "
        "w Markdown: **pogrubienie**, *kursywa*, listy i odnośniki.",
        [],
        10,
        False,
    ),
]


def seed() -> list:
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    if not {"ngo", "urzednik", "admin"} <= set(people):
        return []
    if not News.objects.exists():
        _news(people)
    if not Event.objects.exists():
        _events(people)
    if not Idea.objects.exists():
        _ideas(people)
    return []


def _news(people) -> None:
    now = timezone.now()
    for party_key, title, lead, body, spheres, days_ago, archived in ITEMS:
        party, author = _party(party_key, people)
        if party is None:
            continue
        data = {
            "title": title,
            "lead": lead,
            "body": body,
            "image_alt": "",
            "spheres": list(current_spheres().filter(number__in=spheres)),
        }
        if party_key == "16":
            data["image"], data["image_alt"] = _picture(), "Mapa województwa opolskiego z zaznaczonym Opolem"
        news = services.news_create(actor=author, party=party, data=data)
        if days_ago is None:
            continue
        perform(NEWS, news, "publish", actor=author, now=now - timedelta(days=days_ago))
        if archived:
            perform(NEWS, news, "archive", actor=author, now=now - timedelta(days=days_ago - 30))


# (party, title, days from today, start hour or None for all day, hours or days long, place, gmina TERYT, online,
#  registration, places, cancelled)
EVENTS = [
    (BRZEG, "Szkolenie: jak napisać ofertę w konkursie", 3, 10, 4, "ul. Robotnicza 12, 49-300 Brzeg", "1601011",
     "", "platform", 3, False),
    (VOLUNTEERS, "Festyn wolontariatu na Rynku", 9, None, 2, "Rynek, 45-015 Opole", "1661011", "", "none", None,
     False),
    ("16", "Webinar: sprawozdanie z realizacji zadania publicznego", 6, 17, 2, "", None,
     "https://example.org/webinar", "none", None, False),
    ("16", "Spotkanie Wojewódzkiej Rady Działalności Pożytku Publicznego", 14, 12, 3,
     "ul. Piastowska 14, 45-082 Opole", "1661011", "", "external", None, False),
    (BRZEG, "Rajd rowerowy szlakiem Piastów", 20, 9, 6, "Zamek Piastów Śląskich, pl. Zamkowy 1, 49-300 Brzeg",
     "1601011", "", "none", None, True),
]  # fmt: skip
ACCESSIBILITY = (
    "Wejście bez progów, winda na piętro, toaleta dostępna dla osób na wózkach. Na prośbę zgłoszoną trzy dni "
    "wcześniej zapewniamy tłumacza polskiego języka migowego."
)


def _events(people) -> None:
    from ngo_platform.community.workflows import EVENT
    from ngo_platform.territory.models import TerritorialUnit

    today = timezone.localdate()
    for key, title, days, hour, length, place, gmina, online, registration, places, cancelled in EVENTS:
        party, author = _party(key, people)
        if party is None or key is None:
            continue
        day = today + timedelta(days=days)
        if hour is None:
            start = timezone.make_aware(datetime.combine(day, time()))
            end = start + timedelta(days=length - 1)
        else:
            start = timezone.make_aware(datetime.combine(day, time(hour)))
            end = start + timedelta(hours=length)
        data = {
            "title": title,
            "description": f"{title}. Zapraszamy!\n\n- program na miejscu,\n- materiały dla uczestników.",
            "starts_at": start,
            "ends_at": end,
            "all_day": hour is None,
            "place": place,
            "gmina": TerritorialUnit.objects.filter(teryt=gmina).first() if gmina else None,
            "online_url": online,
            "accessibility": ACCESSIBILITY,
            "registration": registration,
            "registration_url": "https://example.org/zapisy" if registration == "external" else "",
            "capacity": places,
        }
        event = services.event_create(actor=author, party=party, data=data)
        perform(EVENT, event, "publish", actor=author)
        if registration == "platform":
            for email in ("glosy-demo", "urzedniczka", "admin"):
                if email in people:
                    services.registration_create(actor=people[email], event=event)
        if cancelled:
            perform(EVENT, event, "cancel", actor=author)


def _party(key, people) -> tuple[Party | None, User | None]:
    if key is None:
        return Party("platform", "platform"), people["admin"]
    if key.isdigit():
        authority = Authority.objects.filter(unit__teryt=key).first()
        return (
            (Party(f"authority:{authority.pk}", authority.name, authority=authority), people["urzednik"])
            if (authority)
            else (None, None)
        )
    organisation = Organisation.objects.filter(slug=key).first()
    if organisation is None:
        return None, None
    return Party(f"organisation:{organisation.pk}", organisation.name, organisation=organisation), people["ngo"]


def _picture():
    """A simple drawing (an outline and a dot), so that the demo shows a lead image without shipping a file."""
    image = Image.new("RGB", (960, 540), (232, 240, 248))
    draw = ImageDraw.Draw(image)
    draw.polygon([(300, 80), (620, 60), (700, 260), (560, 470), (340, 430), (250, 250)], outline=(20, 60, 120), width=8)
    draw.ellipse([(455, 235), (495, 275)], fill=(180, 30, 30))
    output = io.BytesIO()
    image.save(output, format="PNG")
    upload = SimpleUploadedFile("mapa.png", output.getvalue(), content_type="image/png")
    return image_normalise(upload, max_side=1200, name="aktualnosc", photo=True)


IDEAS = [
    ("need", "Sala na próby dla zespołów ludowych w Brzegu", "Zespoły ćwiczą w remizie, która od jesieni jest "
     "zamknięta. Potrzebujemy sali dwa razy w tygodniu.", "16", BRZEG),
    ("idea", "Małe granty także na wkład własny do projektów unijnych", "Organizacje tracą dotacje z funduszy "
     "europejskich, bo nie mają wkładu własnego. Proponujemy nabór małych grantów na ten cel.", "32", None),
    ("idea", "Jeden formularz sprawozdania dla wszystkich gmin powiatu", "Każda gmina ma własny wzór. Wspólny "
     "formularz na platformie oszczędzi czas urzędów i organizacji.", "32", None),
]  # fmt: skip


def _ideas(people) -> None:
    from ngo_platform.organisations.selectors import current_spheres

    authority = Authority.objects.filter(unit__teryt="16").first()
    brzeg = Organisation.objects.filter(slug=BRZEG).first()
    ideas = []
    for kind, title, description, sphere, on_behalf in IDEAS:
        data = {
            "kind": kind,
            "title": title,
            "description": description,
            "authority": authority,
            "sphere": current_spheres().filter(number=sphere).first(),
            "territory": authority.unit if authority else None,
        }
        author = people["ngo"] if on_behalf else people.get("mieszkaniec", people["ngo"])
        ideas.append(services.idea_submit(actor=author, data=data, organisation=brzeg if on_behalf else None))
    for idea, supporters in zip(ideas, (["mieszkaniec"], ["ngo", "glosy-demo", "urzedniczka"], ["ngo"]), strict=True):
        for key in supporters:
            if key in people:
                services.idea_support(actor=people[key], idea=idea)
    if brzeg is not None:
        services.idea_support(actor=people["ngo"], idea=ideas[1], organisation=brzeg)
    services.idea_answer(
        actor=people["urzednik"],
        idea=ideas[1],
        step="accept",
        text="Dziękujemy. Wpiszemy nabór małych grantów na wkład własny do programu współpracy na przyszły rok.",
    )
