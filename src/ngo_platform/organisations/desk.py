"""What waits on the desk (`core.desk`) in the registry of organisations.

Everyone: invitations to represent an organisation sent to one of their verified e-mail addresses, their own
requests to represent an organisation (waiting, or rejected lately: the reason to read and the request to make
again). Officers and platform admins: the verification requests they may decide (`selectors.verification_queue`,
the territory of their authorities; every one for a platform admin). Platform admins: imports of organisations
waiting for the worker, and their own last import if it failed.

A fixed number of queries: invitations (one), own requests (one), the requests to decide (two: the queue reads the
officer's territory), imports (one).
"""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _

from ngo_platform.core.desk import DeskItem, Person
from ngo_platform.organisations import selectors
from ngo_platform.organisations.models import ImportRun, ImportState, Invitation, VerificationRequest, VerificationState

# A rejected request stays on its applicant's desk this long after the decision (unless they apply again).
REJECTION_SHOWN_FOR = timedelta(days=30)
# At most this many requests to decide are listed one by one; beyond, one item leads to the whole list.
QUEUE_SHOWN = 10


def items(person: Person) -> list[DeskItem]:
    found = _invitations(person) + _own_requests(person)
    if person.authorities or person.is_staff:
        found += _to_verify(person)
    if person.is_staff and person.user.has_perm("organisations.import_organisations"):
        found += _imports(person)
    return found


def _invitations(person: Person) -> list[DeskItem]:
    addresses = EmailAddress.objects.filter(user=person.user, verified=True).annotate(lowered=Lower("email"))
    invitations = (
        Invitation.objects.filter(
            accepted_at__isnull=True, expires_at__gt=person.now, email__in=addresses.values("lowered")
        )
        .exclude(organisation_id__in=list(person.organisations))
        .select_related("organisation")
        .order_by("expires_at", "pk")
    )
    return [
        DeskItem(
            "organisations.invitation",
            _("Invitation to represent an organisation"),
            invitation.organisation.name,
            reverse("organisations:invitation_accept", kwargs={"token": invitation.token}),
            invitation.expires_at,
            _("Invited by %(person)s.") % {"person": invitation.invited_by.get_full_name()},
        )
        for invitation in invitations.select_related("invited_by")
    ]


def _own_requests(person: Person) -> list[DeskItem]:
    """The person's latest request per organisation, if it waits or was rejected lately (and the person does not
    represent the organisation meanwhile)."""
    newest = VerificationRequest.objects.filter(applicant=person.user, organisation=OuterRef("organisation")).order_by(
        "-created_at", "-pk"
    )
    requests = (
        VerificationRequest.objects.filter(applicant=person.user, pk=Subquery(newest.values("pk")[:1]))
        .filter(
            Q(state=VerificationState.PENDING)
            | Q(state=VerificationState.REJECTED, decided_at__gte=person.now - REJECTION_SHOWN_FOR)
        )
        .exclude(organisation_id__in=list(person.organisations))
        .select_related("organisation")
        .order_by("pk")
    )
    found = []
    for request in requests:
        url = reverse("organisations:request_status", kwargs={"pk": request.pk})
        if request.state == VerificationState.PENDING:
            kind, detail = _("Verification of your organisation"), _("Waiting for the decision of a verifier.")
        else:
            kind, detail = _("Verification rejected"), _("Read the reason; you may ask again with better evidence.")
        found.append(DeskItem("organisations.own_request", kind, request.organisation.name, url, None, detail))
    return found


def _to_verify(person: Person) -> list[DeskItem]:
    queue = selectors.verification_queue(user=person.user)
    if queue is None:
        return []
    # Not one's own request: another verifier decides it (`services.verification_decide`).
    pending = queue.filter(state=VerificationState.PENDING).exclude(applicant=person.user)
    requests = list(pending[: QUEUE_SHOWN + 1])
    kind = _("Verification request")
    found = [
        DeskItem(
            "organisations.verify",
            kind,
            request.organisation.name,
            reverse("organisations:verification_detail", kwargs={"pk": request.pk}),
            None,
            _("%(kind)s · %(applicant)s") % {"kind": request.get_kind_display(), "applicant": request.applicant},
        )
        for request in requests[:QUEUE_SHOWN]
    ]
    if len(requests) > QUEUE_SHOWN:
        found.append(
            DeskItem(
                "organisations.verify_more",
                kind,
                _("More requests wait for verification"),
                reverse("organisations:verification_list"),
                None,
                _("The whole list, waiting ones first."),
            )
        )
    return found


def _imports(person: Person) -> list[DeskItem]:
    """Imports waiting for (or being run by) the worker, and the admin's own newest import if it failed."""
    own_newest = ImportRun.objects.filter(created_by=person.user).order_by("-created_at", "-pk").values("pk")[:1]
    runs = ImportRun.objects.filter(
        Q(state__in=[ImportState.QUEUED, ImportState.RUNNING]) | Q(state=ImportState.FAILED, pk=Subquery(own_newest))
    ).order_by("created_at", "pk")
    found = []
    for run in runs:
        url = reverse("organisations_import:status", kwargs={"pk": run.pk})
        if run.state == ImportState.FAILED:
            kind, detail = (
                _("Import failed"),
                _("Nothing was imported: read the report, correct the file, import again."),
            )
        else:
            kind, detail = _("Import of organisations"), run.get_state_display()
        found.append(DeskItem("organisations.import", kind, run.source_name, url, None, detail))
    return found
