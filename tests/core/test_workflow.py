"""The workflow engine (`core.workflow`): one function changes a state, and nothing else in the code does.

The engine is exercised here on a process of its own, declared on the verification request (a small real model);
every module's course is exercised by its own service tests.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.models import AuditEntry
from ngo_platform.core.workflow import Transition, Workflow, perform
from ngo_platform.organisations.models import VerificationRequest, VerificationState
from tests.accounts.factories import UserFactory
from tests.organisations.factories import OrganisationFactory

VS = VerificationState
SRC = Path(__file__).resolve().parents[2] / "src" / "ngo_platform"


class Refused(ServiceError):
    """The test process's refusal."""


def _not_before_noon(request, now):
    return "Nie przed południem." if timezone.localtime(now).hour < 12 else None


def _fails(request, now):
    raise RuntimeError("the effect failed")


PROCESS = Workflow(
    model=VerificationRequest,
    audit="tests.request_{name}",
    error=Refused,
    refusal="Nie teraz: %(state)s.",
    details=lambda request: {"request": request.pk},
    transitions=[
        Transition("verify", VS.PENDING, VS.VERIFIED, "Zweryfikuj", "tests.may_verify", timestamp="decided_at"),
        Transition("reject", VS.PENDING, VS.REJECTED, "Odrzuć", guard=_not_before_noon, refusal="Już rozstrzygnięty."),
        Transition("revise", VS.VERIFIED, VS.PENDING, "Do ponownej weryfikacji"),
        Transition("break", VS.PENDING, VS.REJECTED, "Zepsuj", effect=_fails),
    ],
)


def Officer(user, *perms):
    """The person with exactly the permissions given (the rules are tested in each module's test_rules)."""
    user.has_perm = lambda perm, obj=None: perm in perms
    return user


@pytest.fixture
def request_(reference_data):
    return VerificationRequest.objects.create(organisation=OrganisationFactory(), applicant=UserFactory())


def _row(request):
    return VerificationRequest.objects.get(pk=request.pk)


@pytest.mark.django_db
def test_perform_sets_state_and_timestamp_and_audits_from_and_to(request_):
    moment = timezone.now() - timedelta(minutes=5)
    actor = UserFactory()
    result = perform(PROCESS, request_, "verify", actor=Officer(actor, "tests.may_verify"), now=moment)
    assert AuditEntry.objects.get(action="tests.request_verify").actor == actor
    assert result is request_ and (_row(request_).state, _row(request_).decided_at) == (VS.VERIFIED, moment)
    entry = AuditEntry.objects.get(action="tests.request_verify")
    assert entry.details == {"request": request_.pk, "from": VS.PENDING, "to": VS.VERIFIED}


@pytest.mark.django_db
def test_no_permission_no_change(request_):
    with pytest.raises(PermissionDenied):
        perform(PROCESS, request_, "verify", actor=Officer(UserFactory()))
    assert _row(request_).state == VS.PENDING and not AuditEntry.objects.filter(action__startswith="tests.").exists()


@pytest.mark.django_db
def test_the_system_needs_no_permission_but_meets_the_guard(request_):
    morning = timezone.localtime().replace(hour=9)
    with pytest.raises(Refused, match="Nie przed południem"):
        perform(PROCESS, request_, "reject", actor=None, now=morning)
    perform(PROCESS, request_, "reject", actor=None, now=morning.replace(hour=13), values={"reason": "Brak KRS."})
    assert _row(request_).state == VS.REJECTED


@pytest.mark.django_db
def test_a_stale_instance_is_read_again_under_the_lock(request_):
    stale = VerificationRequest.objects.get(pk=request_.pk)
    perform(PROCESS, request_, "verify", actor=None)
    with pytest.raises(Refused, match="Już rozstrzygnięty"):
        perform(PROCESS, stale, "reject", actor=None, now=timezone.localtime().replace(hour=13), values={"reason": "-"})
    assert stale.state == VS.VERIFIED and _row(request_).state == VS.VERIFIED


@pytest.mark.django_db
def test_the_refusal_names_the_state_and_nothing_is_half_saved_when_an_effect_fails(request_):
    perform(PROCESS, request_, "verify", actor=None)
    with pytest.raises(Refused, match=f"Nie teraz: {VS.VERIFIED.label}"):
        perform(PROCESS, request_, "break", actor=None)
    other = VerificationRequest.objects.create(organisation=OrganisationFactory(), applicant=UserFactory())
    with pytest.raises(RuntimeError):
        perform(PROCESS, other, "break", actor=None)
    assert _row(other).state == VS.PENDING and not AuditEntry.objects.filter(action="tests.request_break").exists()


@pytest.mark.django_db
def test_pages_draw_the_actions_from_the_table(request_):
    morning, officer = timezone.localtime().hour < 12, Officer(UserFactory(), "tests.may_verify")
    names = {t.name for t in PROCESS.available(request_, officer)}
    assert names == ({"verify", "break"} if morning else {"verify", "reject", "break"})
    assert "verify" not in {t.name for t in PROCESS.available(request_, Officer(UserFactory()))}
    assert PROCESS.table() == {VS.PENDING: {VS.VERIFIED, VS.REJECTED}, VS.VERIFIED: {VS.PENDING}, VS.REJECTED: set()}


def test_a_process_is_checked_when_declared():
    with pytest.raises(ValueError, match="state that the model does not have"):
        Workflow(model=VerificationRequest, audit="x", transitions=[Transition("x", VS.PENDING, "nowhere")])
    with pytest.raises(ValueError, match="share a name"):
        Workflow(
            model=VerificationRequest,
            audit="x",
            transitions=[Transition("x", VS.PENDING, VS.VERIFIED), Transition("x", VS.PENDING, VS.REJECTED)],
        )


# --- Nothing but the engine assigns a state -------------------------------------------------------------------

ASSIGNMENTS = [
    re.compile(r"\.state\s*=(?!=)"),  # obj.state = …
    re.compile(r"^\s*[\w.]+\.state\s*,[\w.\s,]*=(?!=)", re.M),  # obj.state, obj.x = …
    re.compile(r"\.update\([^)]*\bstate\s*="),  # queryset.update(state=…)
    re.compile(r"setattr\([^,]+,\s*[\"']state[\"']"),
    re.compile(r"_run_save\([^)]*\bstate\s*="),
]
# The progress of two background jobs (an XLSX export, an import file) is not a process of people: no permission,
# no audit of its own; a worker claims a queued job with one conditional UPDATE (exactly once) and records how it
# ended. Docs/decisions/0012 says why they stay outside the engine. Nothing else may appear here.
JOB_PROGRESS = {
    "organisations/tasks.py": 2,  # the claims of a queued export and import
    "organisations/services.py": 3,  # an export queued again, done, failed
    "organisations/importing.py": 3,  # an import running, failed, done
}


def _assignments():
    found = {}
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative or relative == "core/workflow.py":
            continue
        text = path.read_text()
        count = sum(len(pattern.findall(text)) for pattern in ASSIGNMENTS)
        if count:
            found[relative] = count
    return found


def test_no_code_outside_the_engine_assigns_a_state():
    assert _assignments() == JOB_PROGRESS


def test_the_grep_finds_each_way_of_assigning_a_state(tmp_path):
    samples = [
        "offer.state = 'x'",
        "    offer.state, offer.at = 'x', now",
        "Offer.objects.filter(pk=1).update(\n    granted=1, state='x')",
        "setattr(offer, 'state', 'x')",
        "_run_save(run, state='x')",
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern in ASSIGNMENTS), sample
    harmless = ["if offer.state == 'x':", "log(offer, update.state, actor, note=n)", "filter(state='x')"]
    assert not any(pattern.search(line) for line in harmless for pattern in ASSIGNMENTS)
