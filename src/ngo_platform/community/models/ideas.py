"""Ideas and needs, their supports and official answers (see the package's docstring)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo_platform.core.bounds import TEXT, TITLE, length_check


class IdeaKind(models.TextChoices):
    IDEA = "idea", _("idea")
    NEED = "need", _("need")


class IdeaState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("idea state", "waiting for an answer")
    CONSIDERING = "considering", pgettext_lazy("idea state", "under consideration")
    ACCEPTED = "accepted", pgettext_lazy("idea state", "accepted")
    REJECTED = "rejected", pgettext_lazy("idea state", "rejected")
    DONE = "done", pgettext_lazy("idea state", "done")


class Idea(models.Model):
    """An idea or a need that an organisation or a resident addresses to an authority (or, with none, to the
    platform), with a sphere and a territory; others support it, the addressed authority's officers answer it
    (`IdeaAnswer`, the course in `workflows.IDEA`). `supporters` counts the supports (kept by the services under the
    idea's row lock), so lists sort by it without counting."""

    kind = models.CharField(_("kind"), max_length=10, choices=IdeaKind.choices, default=IdeaKind.IDEA)
    title = models.CharField(_("title"), max_length=TITLE)
    description = models.TextField(_("description"), max_length=TEXT)
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    sphere = models.ForeignKey(
        "territory.Sphere",
        verbose_name=_("sphere of public tasks"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    territory = models.ForeignKey(
        "territory.TerritorialUnit",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="ideas"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    state = models.CharField(_("state"), max_length=12, choices=IdeaState.choices, default=IdeaState.SUBMITTED)
    supporters = models.PositiveIntegerField(_("supports"), default=0)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed"), null=True, blank=True)

    # Its followers' follows go with it (see notifications.followable).
    follows = GenericRelation("notifications.Follow", content_type_field="target_type", object_id_field="target_id")

    class Meta:
        verbose_name = _("idea or need")
        verbose_name_plural = _("ideas and needs")
        indexes = [
            models.Index(fields=["-supporters", "-id"], name="idea_by_support"),
            models.Index(fields=["-created_at", "-id"], name="idea_newest"),
        ]
        constraints = [
            models.CheckConstraint(name="idea_state_valid", condition=models.Q(state__in=IdeaState.values)),
            models.CheckConstraint(name="idea_kind_valid", condition=models.Q(kind__in=IdeaKind.values)),
            length_check("idea", "description", TEXT),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:idea_detail", kwargs={"pk": self.pk})


class IdeaSupport(models.Model):
    """One support: a person's own (once per person), or on behalf of an organisation by its representative (once
    per organisation)."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="idea_supports"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="idea_supports",
    )
    created_at = models.DateTimeField(_("supported"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "user"], condition=models.Q(organisation__isnull=True), name="support_once_per_person"
            ),
            models.UniqueConstraint(
                fields=["idea", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="support_once_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation or self.user} – {self.idea}"


class IdeaAnswer(models.Model):
    """An official answer of the addressed authority: the state it gave the idea and what it says (the reason of a
    rejection, what will follow an acceptance). Public, audited, e-mailed to the author and the supporters."""

    idea = models.ForeignKey(Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="answers")
    state = models.CharField(_("answer"), max_length=12, choices=IdeaState.choices)
    text = models.TextField(_("text of the answer"), max_length=TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    authority = models.ForeignKey(
        "territory.Authority",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("official answer")
        verbose_name_plural = _("official answers")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(name="ideaanswer_state_valid", condition=models.Q(state__in=IdeaState.values)),
            length_check("ideaanswer", "text", TEXT),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: {self.idea}"
