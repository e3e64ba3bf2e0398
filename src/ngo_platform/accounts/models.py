"""People, and the roles they hold in organisations and authorities."""

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


DISPLAY_NAME_MAX_LENGTH = 150
PUBLIC_TITLE_MAX_LENGTH = 150


def email_local_part(email: str) -> str:
    """The part of an e-mail address before the @: the name of a person who has not given one."""
    return (email or "").split("@", 1)[0]


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an e-mail address; others see their `display_name`, never the address.

    `is_staff` marks a platform administrator (verifies organisations and officers,
    moderates, configures the deployment, opens the Django admin).
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        help_text=_("Shown to others next to your comments, offers and decisions instead of your e-mail address."),
    )
    public_title = models.CharField(
        _("title or organisation"),
        max_length=PUBLIC_TITLE_MAX_LENGTH,
        blank=True,
        help_text=_("Optional, shown next to your name."),
    )
    # Transitional: no code reads it any more; kept equal to `display_name` by `save()` (rows created before the
    # display name, and tests that still pass it) until a migration drops it.
    full_name = models.CharField(_("full name"), max_length=DISPLAY_NAME_MAX_LENGTH, blank=True, editable=False)
    is_staff = models.BooleanField(_("platform administrator"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args, **kwargs):
        self.display_name = (self.display_name or "").strip() or self.full_name.strip() or email_local_part(self.email)
        self.full_name = self.display_name
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "full_name"}
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        """The display name; a row saved without one (bulk_create) falls back to the e-mail before the @."""
        return self.display_name or self.full_name or email_local_part(self.email)

    @property
    def display_name_with_title(self) -> str:
        """ "Anna Nowak, prezeska Stowarzyszenia…" when the person gave a public title."""
        return f"{self}, {self.public_title}" if self.public_title else str(self)

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self).split(" ")[0]


class OrganisationRole(models.TextChoices):
    ADMIN = "admin", _("administrator")
    EDITOR = "editor", _("editor")


class AuthorityRole(models.TextChoices):
    ADMIN = "admin", _("administrator")
    OFFICER = "officer", _("officer")


class OrganisationMembership(models.Model):
    """A person's role in an organisation (verified representative)."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=OrganisationRole.choices)
    # A representative's name is shown on the organisation's public profile only if they choose so (RODO).
    is_public = models.BooleanField(_("show my name on the public profile"), default=False)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="orgmembership_one_role_per_person"),
            models.CheckConstraint(
                name="orgmembership_role_valid", condition=models.Q(role__in=OrganisationRole.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class AuthorityMembership(models.Model):
    """A person's role in an authority (JST officer)."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="authority_memberships"
    )
    authority = models.ForeignKey(
        "territory.Authority", verbose_name=_("authority"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=AuthorityRole.choices)
    # The officer's own choice: named on the authority's page as a contact for organisations.
    is_public = models.BooleanField(_("show my name on the authority's page"), default=False)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("authority membership")
        verbose_name_plural = _("authority memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="authmembership_one_role_per_person"),
            models.CheckConstraint(name="authmembership_role_valid", condition=models.Q(role__in=AuthorityRole.values)),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.authority} ({self.get_role_display()})"
