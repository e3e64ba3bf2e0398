"""Every input is bounded (issue 13, "every input bounded"): every free-text field of every form of the project
has a maximum length, said before typing (a hint and the browser's maxlength) and refused with the Polish
message next to the field (core.bounds), and a ModelForm never accepts more than its model field stores; the
forms people post through the views refuse a text one character over the limit and a very large one, with the
message next to the field and nothing stored.

(a) walks every Form and ModelForm class of src/ngo_platform; (b) posts through the real views."""

from __future__ import annotations

import importlib
import inspect
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone, translation

import ngo_platform
from ngo_platform.accounts.models import User
from ngo_platform.agreements.models import Agreement, AgreementParty
from ngo_platform.competitions.models import Competition, EvaluationCriterion, Offer
from ngo_platform.consultations.models import Comment, Consultation
from ngo_platform.core.bounds import LINE_TOO_LONG, TOO_LONG, ParsedText, hint
from ngo_platform.elections.models import Candidate, Council, Election, ElectionState
from tests.accounts.factories import UserFactory
from tests.agreements.factories import funded_offer, officer_with_mfa, ready_agreement
from tests.competitions.factories import complete_offer
from tests.consultations.factories import make_consultation, representative_of
from tests.dates import typeable
from tests.elections.factories import ElectionFactory, eligible_organisation, representative

PACKAGE = Path(ngo_platform.__file__).resolve().parent

# --- (a) Every form class ------------------------------------------------------------------------------------

# Text parsed or checked by its own format, with its own bound (an e-mail address, a web address, a pattern).
OWN_FORMAT = (forms.EmailField, forms.URLField, forms.RegexField, forms.SlugField)

# Forms read from the address of a page (filters): an invalid value is dropped, so they only need a limit, no hint.
FILTER_FORMS = {
    "ngo_platform.community.forms.EventFilterForm",
    "ngo_platform.community.forms.IdeaFilterForm",
    "ngo_platform.community.forms.NewsFilterForm",
    "ngo_platform.competitions.forms.announcement.ListFilterForm",
    "ngo_platform.consultations.forms.ListFilterForm",
    "ngo_platform.core.forms.AuditLogFilterForm",
    "ngo_platform.core.forms.DisplayPreferencesForm",
    "ngo_platform.organisations.forms.DirectoryFilterForm",
}


def form_modules() -> list[str]:
    """Every module of the project that declares a form (found by its source, so a new one is never missed)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if re.search(r"\((?:forms\.)?(?:Model)?Form\)|forms\.Form\b|ModelForm\b", path.read_text(encoding="utf-8")):
            names.append(".".join(("ngo_platform", *path.relative_to(PACKAGE).with_suffix("").parts)))
    return names


def project_forms() -> list[type[forms.BaseForm]]:
    for name in form_modules():
        importlib.import_module(name)
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            # The project's own (a third party's form built on one of ours, allauth's sign-up, is not).
            if cls.__module__.startswith("ngo_platform.") and cls not in found:
                found.append(cls)
    return found


def qualname(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _none(model_path: str):
    module, name = model_path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name).objects.none()


def constructor_kwargs() -> dict[str, dict]:
    """What the forms that take more than data need; the fields added for each row (a party, a result, a
    criterion) are made once, with a row like the real one."""
    orgs = _none("ngo_platform.organisations.models.Organisation")
    authorities = _none("ngo_platform.territory.models.Authority")
    offer = SimpleNamespace(competition=SimpleNamespace(attachment_list=["Statut"]))
    return {
        "agreements.forms.AgreementForm": {
            "parties": [SimpleNamespace(pk=1, organisation=SimpleNamespace(name="Fundacja"), signatories="")]
        },
        "agreements.forms.ReportForm": {
            "results": [SimpleNamespace(pk=1, name="Uczestnicy", planned="200", achieved="", comment="")],
            "lines": [SimpleNamespace(pk=1, position=1, name="Honoraria", spent=0)],
        },
        "competitions.forms.offers.OfferStartForm": {"organisations": orgs},
        "competitions.forms.offers.SourcesForm": {"joint": True},
        "competitions.forms.offers.AttachmentForm": {"offer": offer},
        "competitions.forms.formal_check.CompletionCallForm": {"offer": offer},
        "competitions.forms.formal_check.FormalMarksForm": {
            "items": [SimpleNamespace(pk=1, position=1, text="Statut")],
            "marks": {},
        },
        "competitions.forms.commission.ScoreForm": {
            "criteria": [SimpleNamespace(pk=1, position=1, name="Jakość", max_points=10)],
            "scores": {},
        },
        "competitions.forms.small_grants.SmallGrantStartForm": {"authorities": authorities, "organisations": orgs},
        "competitions.forms.small_grants.PoolForm": {"authorities": authorities},
        "elections.forms.CouncilForm": {"authorities": authorities},
        "elections.forms.ElectionForm": {"councils": _none("ngo_platform.elections.models.Council")},
        "elections.forms.NominationForm": {"organisations": orgs},
        "elections.forms.ProtestForm": {"organisations": orgs},
        "elections.forms.BallotForm": {
            "election": SimpleNamespace(choices_per_ballot=2),
            "organisations": orgs,
            "candidates": [],
        },
        "elections.forms.TieBreakForm": {"tied": [SimpleNamespace(pk=1, full_name="Ewa Lis")]},
    }


def instance_of(cls, data=None):
    bound = {} if data is None else {"data": data}
    kwargs = constructor_kwargs().get(qualname(cls).removeprefix("ngo_platform."))
    if kwargs is not None:
        return cls(**kwargs, **bound)
    required = [
        p.name
        for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
        if p.kind == p.KEYWORD_ONLY and p.default is p.empty
    ]
    assert not required, f"{qualname(cls)} needs {required}: add them to constructor_kwargs()"
    return cls(**bound)


def free_text(field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field, OWN_FORMAT)


def gaps_of(form) -> tuple[list[str], list[str]]:
    name = qualname(type(form))
    gaps, unsaid = [], []
    model = form._meta.model if isinstance(form, forms.ModelForm) else None
    for field_name, field in form.fields.items():
        if not free_text(field):
            continue
        where = f"{name}.{field_name}"
        if field.max_length is None:
            gaps.append(f"{where}: no max_length")
            continue
        if model is not None and not isinstance(field, ParsedText):
            try:
                stored = model._meta.get_field(field_name)
            except Exception:  # a field of the form only
                stored = None
            if stored is not None and stored.max_length is not None and field.max_length > stored.max_length:
                gaps.append(f"{where}: {field.max_length} > the model's {stored.max_length}")
        if not field.widget.is_hidden and str(field.widget.attrs.get("maxlength")) != str(field.max_length):
            gaps.append(f"{where}: no maxlength on the input")
        if name in FILTER_FORMS or field.widget.is_hidden or isinstance(field, ParsedText):
            continue
        said = str(hint(field.max_length)) in str(field.help_text)
        own_message = "max_length" in field.error_messages
        if not (said and own_message):
            unsaid.append(f"{where}: limit not said")
    return gaps, unsaid


@pytest.mark.django_db
def test_every_free_text_field_of_every_form_is_bounded_and_says_its_limit():
    classes = project_forms()
    assert len(classes) > 60  # the walk found the forms (about 80 when written), the offer's steps too
    assert {"OfferOpisForm", "OfferZasobyForm", "SignupForm"} <= {cls.__name__ for cls in classes}
    gaps, unsaid = [], []
    with translation.override("pl"):
        for cls in classes:
            found = gaps_of(instance_of(cls))
            gaps += found[0]
            unsaid += found[1]
    assert not gaps, f"free-text fields without a bound: {gaps}"
    assert not unsaid, f"bounded fields whose limit is not said: {unsaid}"


@pytest.mark.django_db
def test_every_form_refuses_each_of_its_fields_one_character_over_its_limit():
    """Each bounded free-text field of every form, bound one character over its limit: the form is invalid and
    the field's own error says the limit and what was typed (in Polish), so nothing reaches a save."""
    checked, wrong = 0, []
    with translation.override("pl"):
        for cls in project_forms():
            blank = instance_of(cls)
            for name, field in blank.fields.items():
                if not free_text(field) or field.max_length is None or field.disabled:
                    continue
                size = field.max_length + 1
                form = instance_of(cls, data={blank.add_prefix(name): "7" * size})
                message = field.error_messages.get("max_length", MaxLengthValidator.message)
                said = str(message % {"limit_value": field.max_length, "show_value": size})
                if form.is_valid() or said not in form.errors.get(name, []):
                    wrong.append(f"{qualname(cls)}.{name}: {form.errors.get(name)}")
                checked += 1
    assert checked > 150  # every bounded free-text field of about 80 forms (163 when written)
    assert not wrong, wrong


def test_the_walk_sees_the_forms_of_every_app():
    modules = form_modules()
    apps = (
        "accounts",
        "agreements",
        "community",
        "competitions",
        "consultations",
        "core",
        "elections",
        "organisations",
        "workgroups",
        "library",
    )
    for app in apps:
        assert any(m.startswith(f"ngo_platform.{app}.") for m in modules), app
    # The territory app has no form of its own (its data are loaded by commands and edited in the admin).
    assert not any(m.startswith("ngo_platform.territory.") for m in modules)


def test_the_database_refuses_every_bounded_long_text():
    """A TextField's max_length binds only the forms: each has its CHECK constraint (core.bounds.length_check)."""
    from django.apps import apps
    from django.db import models

    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("ngo_platform."):
            continue
        names = {constraint.name for constraint in model._meta.constraints}
        for field in model._meta.get_fields():
            bounded = isinstance(field, models.TextField) and field.max_length is not None
            if bounded and not any(name.endswith(f"_{field.name}_max_length") for name in names):
                missing.append(f"{model._meta.label}.{field.name}")
    assert missing == []


def test_a_list_typed_one_per_line_is_bounded_per_line():
    """Each line of the formal checklist becomes a requirement of at most 300 characters."""
    from ngo_platform.competitions.forms import ChecklistForm

    form = ChecklistForm({"items": "Statut\n" + "ż" * 301})
    assert not form.is_valid()
    with translation.override("pl"):
        assert form.errors["items"] == [str(LINE_TOO_LONG) % {"line": 2, "show_value": 301, "limit_value": 300}]
    assert ChecklistForm({"items": "Statut\n" + "ż" * 300}).is_valid()


# --- (b) Through the views -----------------------------------------------------------------------------------

VERY_LARGE = 60_000


def sizes(limit: int) -> tuple[int, int]:
    return limit + 1, max(VERY_LARGE, 2 * limit)


def stored(*querysets) -> list:
    return [sorted(map(repr, qs.values())) for qs in querysets]


def refuses_each(client, url, data, fields: dict[str, int], querysets, message=TOO_LONG):
    """Post each field over its limit (by one, and a very large text) with the rest valid: the page comes back
    with the message next to that field, and nothing is stored."""
    before = stored(*querysets)
    for name, limit in fields.items():
        for size in sizes(limit):
            response = client.post(url, {**data, name: "ż" * size})
            assert response.status_code == 200, (name, size, response.status_code)
            html = response.content.decode()
            assert f'id="id_{name}_error"' in html, (name, size)
            with translation.override("pl"):
                said = str(message) % {"limit_value": limit, "show_value": size}
            assert f"<li>{said}</li>" in html, (name, size, said)
            assert f'maxlength="{limit}"' in html, name
            assert stored(*querysets) == before, (name, size)
    return before


def as_officer(client, authority):
    person = officer_with_mfa(authority)
    client.force_login(person)
    return person


@pytest.mark.django_db
def test_the_profile(client):
    person = UserFactory(display_name="Jan Nowak")
    client.force_login(person)
    from ngo_platform.accounts.forms import ProfileForm

    for name in ("display_name", "public_title"):
        field = ProfileForm.base_fields[name]
        refuses_each(
            client,
            "/konto/profil/",
            {"display_name": "Jan Nowak", "public_title": ""},
            {name: field.max_length},
            [User.objects.filter(pk=person.pk)],
            message=field.error_messages["max_length"],
        )


@pytest.mark.django_db
def test_a_new_consultation(client, opolskie):
    as_officer(client, opolskie)
    start = typeable(timezone.now() + timedelta(days=1))
    data = {
        "title": "Projekt uchwały",
        "subject": "Temat",
        "kind": "projekt_uchwaly",
        "legal_basis": "",
        "responsible_person": "Jan",
        "contact": "jan@example.pl",
        "mode": "pisemny",
        "comment_visibility": "immediate",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": typeable(start + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M"),
    }
    fields = {"title": 300, "subject": 5_000, "legal_basis": 2_000, "responsible_person": 200, "contact": 300}
    refuses_each(client, f"/konsultacje/nowa/{opolskie.slug}/", data, fields, [Consultation.objects.all()])


@pytest.mark.django_db
def test_a_comment(client, opolskie):
    consultation = make_consultation(opolskie)
    person, organisation = representative_of()
    client.force_login(person)
    data = {
        "unit": "calosc",
        "on_behalf": str(organisation.pk),
        "current_wording": "",
        "proposed_wording": "x",
        "justification": "Lepiej",
    }
    fields = {"current_wording": 10_000, "proposed_wording": 5_000, "justification": 5_000}
    refuses_each(client, f"/konsultacje/{consultation.pk}/nowa-uwaga/", data, fields, [Comment.objects.all()])
    # A counter follows the typing where JavaScript runs (core/js/counter.js); the hint says the limit anyway.
    page = client.get(f"/konsultacje/{consultation.pk}/nowa-uwaga/").content.decode()
    assert page.count("core/js/counter.js") == 1 and "Najwyżej 5000 znaków." in page


@pytest.mark.django_db
def test_a_new_competition_and_its_criteria(client, opolskie):
    as_officer(client, opolskie)
    year = timezone.localdate().year + 1
    deadline = typeable(timezone.now() + timedelta(days=30))
    data = {
        "authority": opolskie.pk,
        "title": f"Konkurs – seniorzy {year}",
        "task_kind": "Aktywizacja seniorów",
        "task_form": "wspieranie",
        "total_funds": "50 000,00 zł",
        "max_grant": "10 000",
        "min_grant": "",
        "own_contribution_min_bp": "10",
        "own_counts_financial": "on",
        "eligible_entities": "NGO",
        "require_verified": "on",
        "task_start": f"{year}-06-01",
        "task_end": f"{year}-12-31",
        "offers_deadline": deadline.strftime("%Y-%m-%dT%H:%M:%S"),
        "rules_text": "Zasady.",
        "kryteria-TOTAL_FORMS": "1",
        "kryteria-INITIAL_FORMS": "0",
        "kryteria-0-name": "Jakość",
        "kryteria-0-max_points": "10",
    }
    fields = {
        "title": 300,
        "task_kind": 2_000,
        "eligible_entities": 2_000,
        "required_attachments": 3_000,
        "rules_text": 20_000,
        "kryteria-0-name": 500,
    }
    querysets = [Competition.objects.all(), EvaluationCriterion.objects.all()]
    refuses_each(client, "/konkursy/nowy/", data, fields, querysets)
    # An amount typed as text is bounded before it is parsed (no 60,000-digit number reaches the database).
    refuses_each(client, "/konkursy/nowy/", data, {"total_funds": 30}, querysets)


@pytest.mark.django_db
def test_the_steps_of_an_offer(client, opolskie):
    offer = complete_offer()
    client.force_login(offer.creator)
    url = f"/konkursy/oferty/{offer.pk}/krok/"
    querysets = [Offer.objects.all()]
    refuses_each(
        client,
        url + "zasoby/",
        {"next": "continue", "previous_activity": "", "resources": "Sala."},
        {"previous_activity": 5_000, "resources": 5_000},
        querysets,
    )
    refuses_each(
        client,
        url + "opis/",
        {
            "next": "continue",
            "title": offer.title,
            "date_from": offer.date_from.isoformat(),
            "date_to": offer.date_to.isoformat(),
            "summary": offer.summary,
            "expected_results": offer.expected_results,
        },
        {"title": 300, "summary": 10_000, "expected_results": 5_000},
        querysets,
    )


@pytest.mark.django_db
def test_a_council_and_an_election(client, opolskie):
    as_officer(client, opolskie)
    refuses_each(
        client, "/wybory/rady/nowa/", {"authority": opolskie.pk, "name": "Rada"}, {"name": 250}, [Council.objects.all()]
    )
    client.post("/wybory/rady/nowa/", {"authority": opolskie.pk, "name": "Rada Pożytku WO"})
    council = opolskie.councils.get()
    from tests.elections.test_views import election_form

    start = (timezone.localtime() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    data = election_form(council, start)
    refuses_each(client, "/wybory/nowe/", data, {"title": 250, "description": 10_000}, [Election.objects.all()])


@pytest.mark.django_db
def test_a_nomination(client, opolskie):
    election = ElectionFactory(stage=ElectionState.NOMINATIONS)
    organisation = eligible_organisation()
    client.force_login(representative(organisation))
    data = {
        "organisation": organisation.pk,
        "full_name": "Ewa Lis",
        "email": "ewa@example.pl",
        "qualifications": "Radna",
    }
    fields = {"full_name": 200, "qualifications": 5_000, "statement": 3_000}
    refuses_each(client, f"/wybory/{election.slug}/zglos/", data, fields, [Candidate.objects.all()])


@pytest.mark.django_db
def test_an_agreement(client, opolskie):
    agreement = ready_agreement(funded_offer(), send=False)
    client.force_login(agreement.clerk)
    party = agreement.parties.get()
    year = agreement.task_start.year
    data = {
        "number": f"DOR.526.7.{year}",
        "place": "Opole",
        "authority_signatories": "Jan Kowalski – Członek Zarządu",
        "granted_amount": "8 000,00 zł",
        "task_start": agreement.task_start.isoformat(),
        "task_end": agreement.task_end.isoformat(),
        "account_number": "",
        f"party_{party.pk}": "Anna Nowak – prezeska",
        "raty-TOTAL_FORMS": "1",
        "raty-INITIAL_FORMS": "0",
        "raty-0-due_on": agreement.task_start.isoformat(),
        "raty-0-amount": "8 000",
    }
    fields = {"number": 60, "place": 100, "authority_signatories": 1_000, f"party_{party.pk}": 1_000}
    querysets = [Agreement.objects.all(), AgreementParty.objects.all()]
    refuses_each(client, f"/umowy/{agreement.pk}/edycja/", data, fields, querysets)


@pytest.mark.django_db
def test_the_termination_of_an_agreement_is_refused_with_the_message(client, opolskie):
    """The officer's steps on the agreement page answer with a message on the page they return to (the form
    has no page of its own): the too-long reason is refused there and nothing changes."""
    agreement = ready_agreement(funded_offer())
    client.force_login(agreement.clerk)
    before = stored(Agreement.objects.all())
    for size in sizes(2_000):
        response = client.post(f"/umowy/{agreement.pk}/rozwiazanie/", {"rozwiazanie-reason": "ż" * size}, follow=True)
        assert response.status_code == 200
        with translation.override("pl"):
            said = str(TOO_LONG) % {"limit_value": 2_000, "show_value": size}
        assert said in response.content.decode()
        assert stored(Agreement.objects.all()) == before


@pytest.mark.django_db
def test_a_news_item(client, reference_data):
    from ngo_platform.community.models import News
    from tests.community.factories import writer_for
    from tests.organisations.factories import OrganisationFactory

    organisation = OrganisationFactory()
    client.force_login(writer_for(organisation))
    data = {"party": f"organisation:{organisation.pk}", "title": "Tytuł", "lead": "Zapowiedź", "body": "Treść"}
    fields = {"title": 300, "lead": 500, "body": 10_000, "image_alt": 300}
    refuses_each(client, "/aktualnosci/nowa/", data, fields, [News.objects.all()])


@pytest.mark.django_db
def test_an_event(client, reference_data):
    from ngo_platform.community.models import Event
    from ngo_platform.territory.models import TerritorialUnit
    from tests.community.factories import writer_for
    from tests.organisations.factories import OrganisationFactory

    organisation = OrganisationFactory()
    client.force_login(writer_for(organisation))
    start = typeable(timezone.now() + timedelta(days=3))
    data = {
        "party": f"organisation:{organisation.pk}",
        "title": "Szkolenie",
        "description": "Opis",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": typeable(start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "Rynek 1",
        "gmina": TerritorialUnit.objects.get(teryt="1601011").pk,
        "accessibility": "Bez progów",
        "registration": "none",
    }
    fields = {"title": 300, "description": 5_000, "place": 300, "accessibility": 3_000}
    refuses_each(client, "/wydarzenia/nowe/", data, fields, [Event.objects.all()])


@pytest.mark.django_db
def test_an_idea_and_its_answer(client, opolskie):
    from ngo_platform.community.models import Idea, IdeaAnswer
    from tests.community.factories import make_idea

    client.force_login(UserFactory())
    data = {"kind": "idea", "title": "Ławki", "description": "Opis", "authority": opolskie.pk}
    refuses_each(client, "/pomysly/nowy/", data, {"title": 300, "description": 5_000}, [Idea.objects.all()])
    idea = make_idea(authority=opolskie)
    as_officer(client, opolskie)
    before = stored(Idea.objects.all(), IdeaAnswer.objects.all())
    for size in sizes(5_000):
        response = client.post(f"/pomysly/{idea.pk}/odpowiedz/", {"step": "accept", "text": "ż" * size})
        assert response.status_code == 400 and 'id="id_text_error"' in response.content.decode()
    assert stored(Idea.objects.all(), IdeaAnswer.objects.all()) == before


@pytest.mark.django_db
def test_a_working_group_its_meeting_version_and_comment(client, opolskie):
    from ngo_platform.workgroups import services
    from ngo_platform.workgroups.models import DocumentVersion, GroupMeeting, VersionComment, WorkingGroup
    from tests.workgroups.factories import make_group, proposed_version, text_tree

    officer = as_officer(client, opolskie)
    data = {"name": "Zespół", "purpose": "Cel", "term_starts": timezone.localdate().isoformat()}
    refuses_each(
        client, f"/zespoly/nowy/{opolskie.slug}/", data, {"name": 300, "purpose": 10_000}, [WorkingGroup.objects.all()]
    )
    group = make_group(opolskie, officer=officer)
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    meeting = {"starts_at": when, "place": "Sala", "agenda": "Plan"}
    url = f"/zespoly/{group.pk}/spotkania/nowe/"
    refuses_each(client, url, meeting, {"place": 300, "agenda": 10_000}, [GroupMeeting.objects.all()])
    document = services.document_create(actor=group.coordinator, group=group, title="Standard")
    version = proposed_version(document, group.coordinator, text_tree("§ 1.\nTreść."))
    url = f"/zespoly/wersje/{version.pk}/uwaga/?jednostka=calosc"
    refuses_each(
        client,
        url,
        {"justification": "Bo tak."},
        {"proposed_wording": 5_000, "justification": 5_000, "current_wording": 10_000},
        [VersionComment.objects.all()],
    )
    refuses_each(
        client,
        f"/zespoly/dokumenty/{document.pk}/nowa-wersja/",
        {"text": "§ 1.\nTreść.", "note": ""},
        {"note": 2_000},
        [DocumentVersion.objects.all()],
    )


@pytest.mark.django_db
def test_a_library_document(client, opolskie):
    from ngo_platform.library.models import LibraryDocument
    from tests.library.factories import docx_file

    as_officer(client, opolskie)
    data = {"title": "Wzór", "kind": "template", "year": str(timezone.localdate().year), "tags": "wzór"}
    url = f"/biblioteka/nowy/{opolskie.slug}/"
    before = stored(LibraryDocument.objects.all())
    for name, limit in {"title": 300, "description": 10_000, "adopted_as": 300, "tags": 300}.items():
        for size in sizes(limit):
            response = client.post(url, {**data, name: "ż" * size, "file": docx_file("Treść.")})
            assert response.status_code == 200 and f'id="id_{name}_error"' in response.content.decode(), name
    assert stored(LibraryDocument.objects.all()) == before
