"""Demo forum for `ngo-platform seed_demo` (idempotent: nothing is added once any category exists).

Two categories: a public one, moderated by the demo officer (urzednik@…) besides the administrators, and one for
members only (representatives of verified organisations, officers, administrators). Three threads written through
the services by the demo people: a question of an association (on its behalf, pinned) answered by the officer with
a quote; a search for partners in which a resident's reply, reported by the NGO account, was hidden by the demo
administrator with the reason the resident reads; and a members' thread of the officer.
"""

from ngo_platform.accounts.demo import DEMO_DOMAIN
from ngo_platform.accounts.models import User
from ngo_platform.forum import services
from ngo_platform.forum.models import Audience, Category
from ngo_platform.organisations.models import Organisation

BRZEG = "stowarzyszenie-przyjaciol-ziemi-brzeskiej"


def seed() -> list:
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")}
    if not {"ngo", "urzednik", "admin", "mieszkaniec"} <= set(people) or Category.objects.exists():
        return []
    public = Category.objects.create(
        name="Współpraca i dotacje",
        slug="wspolpraca-i-dotacje",
        description="Pytania o konkursy, małe granty, sprawozdania i partnerstwa.",
        position=1,
    )
    public.moderators.add(people["urzednik"])
    members = Category.objects.create(
        name="Dla organizacji i urzędów",
        slug="dla-organizacji-i-urzedow",
        description="Robocze rozmowy przedstawicieli zweryfikowanych organizacji i urzędników.",
        audience=Audience.MEMBERS,
        position=2,
    )
    _question(people, public)
    _partners(people, public)
    services.thread_start(
        actor=people["urzednik"],
        category=members,
        title="Standard konsultacji: uwagi przed posiedzeniem rady",
        body="Przed posiedzeniem Rady Działalności Pożytku Publicznego zbieramy uwagi do projektu standardu. "
        "Co wydłużyć, co uprościć?",
    )
    return []


def _question(people, category) -> None:
    brzeg = Organisation.objects.filter(slug=BRZEG).first()
    thread = services.thread_start(
        actor=people["ngo"],
        category=category,
        title="Jak rozliczyć wkład osobowy w małym grancie?",
        body="Wolontariusze przepracowali **120 godzin**. Czy w sprawozdaniu wystarczy ich lista, czy trzeba "
        "dołączyć porozumienia?",
        organisation=brzeg,
    )
    opening = thread.posts.get(is_opening=True)
    services.reply(
        actor=people["urzednik"],
        thread=thread,
        quote=opening,
        body="Wystarczy zestawienie godzin z wyceną; porozumienia z wolontariuszami zostają w dokumentacji "
        "organizacji do wglądu przy kontroli.",
    )
    services.reply(actor=people["mieszkaniec"], thread=thread, body="Dziękuję, też się nad tym zastanawiałem.")
    services.thread_set(actor=people["admin"], thread=thread, pinned=True)


def _partners(people, category) -> None:
    thread = services.thread_start(
        actor=people["ngo"],
        category=category,
        title="Szukamy partnera do projektu dla seniorów",
        body="Planujemy zajęcia ruchowe dla seniorów w Brzegu. Szukamy organizacji, która poprowadzi część "
        "zajęć w Lewinie Brzeskim.",
    )
    rude = services.reply(
        actor=people["mieszkaniec"], thread=thread, body="Znowu te same osoby biorą wszystkie pieniądze, wstyd."
    )
    services.post_report(actor=people["ngo"], post=rude, reason="abuse", comment="Obraźliwe uogólnienie.")
    services.post_moderate(
        actor=people["admin"],
        post=rude,
        step="hide",
        reason="Wpis nie dotyczy szukania partnera i zarzuca nieuczciwość bez podstaw. Zapraszamy do rozmowy na temat.",
    )
    services.reply(actor=people["urzednik"], thread=thread, body="Polecam kontakt z klubami seniora w gminie Lewin.")
