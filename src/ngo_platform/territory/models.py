"""Territorial units (GUS TERYT/TERC) and the authorities (JST) that govern them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def in_city_with_powiat_rights(teryt: str) -> bool:
    """Whether a TERYT code (powiat or gmina) lies in a city with powiat rights: powiat codes 61 and up."""
    return len(teryt) >= 4 and teryt[2:4] >= "61"


class UnitLevel(models.TextChoices):
    VOIVODESHIP = "voivodeship", _("voivodeship")
    POWIAT = "powiat", _("powiat")
    GMINA = "gmina", _("gmina")


class GminaType(models.IntegerChoices):
    """TERC RODZ codes of whole gminas (codes 4, 5, 8, 9 are parts, not gminas)."""

    URBAN = 1, _("urban gmina")
    RURAL = 2, _("rural gmina")
    URBAN_RURAL = 3, _("urban-rural gmina")


class TerritorialUnit(models.Model):
    """A voivodeship, powiat or gmina as registered in TERC.

    `teryt` is 2 digits (WOJ), 4 digits (WOJ+POW) or 7 digits (WOJ+POW+GMI+RODZ).
    """

    teryt = models.CharField(_("TERYT code"), max_length=7, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=UnitLevel.choices)
    gmina_type = models.PositiveSmallIntegerField(_("gmina type"), choices=GminaType.choices, null=True, blank=True)
    name = models.CharField(_("name"), max_length=100)
    # NAZWA_DOD of TERC, e.g. "powiat", "miasto na prawach powiatu".
    description = models.CharField(_("official description"), max_length=100, blank=True)
    name_de = models.CharField(_("German name"), max_length=100, blank=True)
    german_auxiliary_language = models.BooleanField(
        _("German as an auxiliary language"),
        default=False,
        help_text=_("Entered in the official register of gminas using an auxiliary language."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_as_of = models.DateField(_("state of the register as of"))

    class Meta:
        verbose_name = _("territorial unit")
        verbose_name_plural = _("territorial units")
        ordering = ["teryt"]
        constraints = [
            models.CheckConstraint(
                name="territorialunit_teryt_length_matches_level",
                condition=(
                    models.Q(level="voivodeship", teryt__regex=r"^[0-9]{2}$")
                    | models.Q(level="powiat", teryt__regex=r"^[0-9]{4}$")
                    | models.Q(level="gmina", teryt__regex=r"^[0-9]{7}$")
                ),
            ),
            models.CheckConstraint(
                name="territorialunit_gmina_type_only_for_gminas",
                condition=models.Q(level="gmina", gmina_type__isnull=False)
                | (~models.Q(level="gmina") & models.Q(gmina_type__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.teryt})"

    @property
    def is_city_with_powiat_rights(self) -> bool:
        return self.level == UnitLevel.POWIAT and in_city_with_powiat_rights(self.teryt)


class AuthorityKind(models.TextChoices):
    VOIVODESHIP = "voivodeship", _("voivodeship self-government")
    POWIAT = "powiat", _("powiat")
    CITY = "city", _("city with powiat rights")
    GMINA = "gmina", _("gmina")


class Authority(models.Model):
    """A local government (JST) that officers act for.

    A city with powiat rights is one authority: its `unit` is the powiat-level unit, and
    the gmina of the same name lies inside it.
    """

    unit = models.OneToOneField(
        TerritorialUnit, verbose_name=_("territorial unit"), on_delete=models.PROTECT, related_name="authority"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AuthorityKind.choices)
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("address"), max_length=160, unique=True)
    # The office's public contact details, shown on the authority's page.
    address = models.CharField(
        _("address of the office"), max_length=250, blank=True, help_text=_("Street, number, postcode and town.")
    )
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    bip_url = models.URLField(_("BIP address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["unit__teryt"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territory:authority_detail", kwargs={"slug": self.slug})


class SphereCatalogue(models.Model):
    """A version of the list of spheres of public tasks (art. 4 ust. 1 UDPP).

    The numbering is unverified against the official consolidated text, so every list
    carries its version, effective date and source; records refer to the sphere of the
    version that was in force when they were made.
    """

    version = models.CharField(_("version"), max_length=40, unique=True)
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=250)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("list of spheres of public tasks")
        verbose_name_plural = _("lists of spheres of public tasks")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.version} ({self.effective_from:%Y-%m-%d})"


class Sphere(models.Model):
    """One sphere of public tasks, e.g. "16) kultura, sztuka, ochrona dóbr kultury"."""

    catalogue = models.ForeignKey(
        SphereCatalogue, verbose_name=_("list"), on_delete=models.PROTECT, related_name="spheres"
    )
    number = models.CharField(_("item"), max_length=5, help_text=_("Point of art. 4 ust. 1, e.g. 1a."))
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.TextField(_("name"))

    class Meta:
        verbose_name = _("sphere of public tasks")
        verbose_name_plural = _("spheres of public tasks")
        ordering = ["catalogue", "position"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "number"], name="sphere_unique_number_per_catalogue"),
            models.UniqueConstraint(fields=["catalogue", "position"], name="sphere_unique_position_per_catalogue"),
        ]

    def __str__(self) -> str:
        return f"{self.number}) {self.name}"
