"""Every e-mail template of the project, rendered by the code that sends it (tests/accounts/emails.py), in Polish
and in English: no empty placeholder, no template syntax, the site's name, and the link to the person's
notification settings at the end."""

import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template
from django.test.signals import template_rendered
from django.utils import translation

from tests.accounts.emails import SCENARIOS

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ngo_platform"
ALLAUTH = Path(allauth.__file__).resolve().parent / "templates"
NOTIFICATIONS = f"{settings.NGO_SITE_URL}/konto/powiadomienia/"

# What an empty or missing value leaves behind: "Witamy z !", "w domenie .", "„”", "()", "Powód: " at a line's end.
PLACEHOLDER_LEFTOVERS = [
    (re.compile(r"[^\S\n]+[!?.,;:)]"), "a space before punctuation"),
    (re.compile(r"\S[^\S\n]{2,}\S"), "a doubled space"),
    (re.compile(r"[„“\"«]\s*[”\"»]"), "empty quotes"),
    (re.compile(r"\(\s*\)"), "empty brackets"),
    (re.compile(r"\b(None|False|True|Unspecified)\b"), "a Python or library default value"),
    (re.compile(r"\{\{|\}\}|\{%|%\}|\{#"), "template syntax"),
    (re.compile(r"%\(\w+\)[sd]"), "a translation placeholder"),
    (re.compile(r"\S:[^\S\n]+$", re.M), "a label with no value at the end of a line"),
    (re.compile(r"\n[^\S\n]*\n[^\S\n]*\n(?=.)"), "two empty lines in a row"),
]
ENGLISH_WORDS = re.compile(r"\b(the|and|you|your|has|have|been|was|of|is|are|The|You|Your|Please|Hello|Thank)\b")
URL = re.compile(r"https?://\S+")
POLISH_WORDS = re.compile(r"\b(Dzień dobry|Ustawienia|Potwierdź|konto|została|Twoje|hasło)\b")


def email_templates() -> set[str]:
    """Every e-mail template of the project: */templates/**/email/*.txt (allauth's account/ and mfa/ overrides
    among them), without the partials (`_footer.txt`) and layouts (`base_message.txt`) the others build on."""
    found = set()
    for path in PACKAGE.glob("*/templates/**/email/*.txt"):
        app_templates = PACKAGE / path.relative_to(PACKAGE).parts[0] / "templates"
        if not path.name.startswith(("_", "base_")):
            found.add(path.relative_to(app_templates).as_posix())
    return found


def check_message(message, language: str) -> list[str]:
    problems = []
    text = f"{message.subject}\n{message.body}"
    for pattern, what in PLACEHOLDER_LEFTOVERS:
        for match in pattern.finditer(text):
            line = text[: match.start()].count("\n")
            problems.append(f"{what} at {match.group(0)!r} in line {line}: {text.splitlines()[line]!r}")
    if "\n" in message.subject or not message.subject.strip():
        problems.append(f"a bad subject {message.subject!r}")
    if settings.NGO_SITE_NAME not in message.body:
        problems.append("no site name")
    if not message.body.rstrip().endswith(NOTIFICATIONS):
        problems.append(f"does not end with the notification settings link {NOTIFICATIONS}")
    words = URL.sub("", text)
    if language == "pl":
        problems += [f"English word {m.group(0)!r} in a Polish e-mail" for m in ENGLISH_WORDS.finditer(words)]
        if "Ustawienia powiadomień e-mail:" not in message.body:
            problems.append("the Polish footer is missing")
    else:
        problems += [f"Polish {m.group(0)!r} in an English e-mail" for m in POLISH_WORDS.finditer(words)]
        if "Your e-mail notification settings:" not in message.body:
            problems.append("the English footer is missing")
    return problems


@pytest.fixture
def rendered():
    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_email_sent_reads_well_with_the_site_name_and_the_settings_link(
    client, reference_data, rendered, scenario, language
):
    send, expected = SCENARIOS[scenario]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        send(client)
    assert mail.outbox, "nothing was sent"
    problems = [
        f"{message.subject!r} to {message.to}: {found}\n{message.body}"
        for message in mail.outbox
        if (found := check_message(message, language))
    ]
    assert not problems, "\n\n".join(problems)
    assert expected <= set(rendered), f"not rendered: {sorted(expected - set(rendered))}"
    assert "accounts/email/_footer.txt" in rendered


def test_the_scenarios_cover_every_email_template_of_the_project():
    templates = email_templates()
    covered = set().union(*(expected for _send, expected in SCENARIOS.values()))
    assert len(templates) > 60
    assert templates == covered, (
        f"templates no scenario sends: {sorted(templates - covered)}; unknown: {sorted(covered - templates)}"
    )


def test_every_allauth_email_is_the_projects_own():
    """allauth's own wording ("Witamy z !", "Proszę potwierdź adresy e-mail") is never sent: each of its e-mail
    templates has the project's version, which wins because the accounts app comes before allauth."""
    for path in [*ALLAUTH.glob("account/email/*.txt"), *ALLAUTH.glob("mfa/email/*.txt")]:
        name = path.relative_to(ALLAUTH).as_posix()
        origin = Path(get_template(name).origin.name).resolve()
        assert origin.is_relative_to(PACKAGE / "accounts" / "templates"), f"{name} comes from {origin}"


def test_the_checks_catch_what_went_wrong_before():
    """The checks themselves fail on the defects of issue 12: an empty site name, no footer, a None."""

    class Message:
        subject = "[Platforma NGO] Proszę potwierdź adresy e-mail"
        to = ["x@example.pl"]
        body = "Witamy z !\n\nTwoja strona w domenie .\nPowód: None\nDziękujemy za korzystanie z !\n"

    problems = " | ".join(check_message(Message, "pl"))
    for expected in ("a space before punctuation", "default value", "no site name", "notification settings link"):
        assert expected in problems
