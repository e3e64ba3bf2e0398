"""The formal check: the checklist of an announcement, the officer's marks and the calls to complete."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ngo_platform.competitions.models.announcement import Competition
from ngo_platform.competitions.models.offers import Offer
from ngo_platform.core.bounds import REASON, TEXT, length_checks

DEFAULT_FORMAL_CHECKLIST = [
    "Oferta złożona w terminie, na platformie, we wzorze z Dz.U. 2018 poz. 2057",
    "Oferent jest podmiotem uprawnionym (art. 3 ust. 2 i 3 UDPP) i prowadzi działalność statutową w dziedzinie zadania",
    "Zadanie mieści się w rodzaju zadania i terminach ogłoszenia",
    "Kalkulacja kosztów i wkład własny zgodne z ogłoszeniem",
    "Oświadczenia złożone, oferta podpisana przez osoby upoważnione zgodnie z KRS",
    "Wymagane załączniki dołączone",
]


# The longest texts typed by the officer and the applicant (core.bounds).
CALL_LIMITS = {"message": TEXT, "answer_note": REASON}


class FormalCheckItem(models.Model):
    """One question of the formal checklist of an announcement (the officer may adjust the list until the
    first offer is marked)."""

    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="formal_items"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    text = models.CharField(_("requirement"), max_length=300)

    class Meta:
        verbose_name = _("formal requirement")
        verbose_name_plural = _("formal requirements")
        ordering = ["competition_id", "position"]
        constraints = [models.UniqueConstraint(fields=["competition", "position"], name="formal_item_unique_position")]

    def __str__(self) -> str:
        return self.text


class FormalMark(models.Model):
    """The officer's answer to one requirement for one offer (the latest; changes are audited)."""

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="formal_marks")
    item = models.ForeignKey(
        FormalCheckItem, verbose_name=_("requirement"), on_delete=models.CASCADE, related_name="marks"
    )
    met = models.BooleanField(_("met"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("marked by"), on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"))

    class Meta:
        verbose_name = _("formal mark")
        verbose_name_plural = _("formal marks")
        ordering = ["offer_id", "item_id"]
        constraints = [models.UniqueConstraint(fields=["offer", "item"], name="formal_mark_once")]


# The parts of an offer a call to complete may open: each step of the form and the attachments (not the
# partners of a joint offer: they confirmed the offer as submitted).
CALL_PARTS = {
    "oferent": _("II. Applicant (contact details)"),
    "opis": _("III. The task (title, dates, description, results)"),
    "dzialania": _("III.4 and III.6 Plan of actions and results"),
    "zasoby": _("IV. Resources"),
    "koszty": _("V.A Cost calculation"),
    "zrodla": _("V.B–V.C Sources of financing"),
    "inne": _("VI. Other information"),
    "oswiadczenia": _("VII. Declarations and signatories"),
    "zalaczniki": _("Attachments (adding files)"),
}


class CallState(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("completed")
    EXPIRED = "expired", _("closed at its deadline")
    ENDED = "ended", _("ended with the competition")


class CompletionCall(models.Model):
    """A call to complete the offer (wezwanie do uzupełnienia): what is missing, which parts of the offer
    may be corrected (steps of the form, the attachments), which attachments must be added, and by when.

    An offer may be called more than once, one call at a time. While a call is open the applicant corrects
    the parts it names through the offer's own pages; the call closes when the applicant sends the
    completion, or at its deadline with what was saved before it. The content before (at the call) and
    after (at the close) is kept with its SHA-256 and the differences; the submission stays as submitted.
    """

    offer = models.ForeignKey(Offer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="completion_calls")
    message = models.TextField(_("what must be completed"), max_length=CALL_LIMITS["message"])
    sections = models.JSONField(_("parts that may be corrected"), default=list)
    attachments = models.JSONField(_("attachments to add"), default=list, blank=True)
    deadline = models.DateTimeField(_("deadline to complete"))
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("called by"), on_delete=models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(_("called"))
    content_before = models.TextField(_("canonical content at the call"), blank=True)
    attachments_before = models.JSONField(_("attachments at the call"), default=list, blank=True)
    sha256_before = models.CharField(_("SHA-256 of the content at the call"), max_length=64, blank=True)
    answered_at = models.DateTimeField(_("completed"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer_note = models.TextField(_("explanation"), max_length=CALL_LIMITS["answer_note"], blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CallState.choices, default=CallState.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    changes = models.JSONField(_("what was changed (before, after)"), default=dict, blank=True)
    content = models.TextField(_("canonical content after the correction"), blank=True)
    sha256 = models.CharField(_("SHA-256 of the corrected content"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("call to complete")
        verbose_name_plural = _("calls to complete")
        ordering = ["offer_id", "called_at", "id"]
        constraints = [
            *length_checks("completion_call", CALL_LIMITS),
            # One call at a time: a new call only once the earlier one is closed.
            models.UniqueConstraint(
                fields=["offer"], condition=models.Q(closed_at__isnull=True), name="completion_call_one_open"
            ),
        ]

    def __str__(self) -> str:
        return self.message[:60]

    @property
    def is_open(self) -> bool:
        """Not closed yet (it may still be past its deadline until the platform records the close)."""
        return self.closed_at is None

    def accepts_changes(self, now) -> bool:
        return self.closed_at is None and now < self.deadline

    @property
    def sent(self) -> bool:
        """Closed by the applicant's sending (not at the deadline)."""
        return self.answered_at is not None
