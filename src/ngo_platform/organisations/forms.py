from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ngo_platform.accounts.models import OrganisationRole
from ngo_platform.core.bounds import ParsedText, bounded_text, say_limits
from ngo_platform.core.uploads import upload_kind
from ngo_platform.core.widgets import DateInput
from ngo_platform.organisations import identifiers
from ngo_platform.organisations import krs as krs_client  # not `krs`: the forms have a field of that name
from ngo_platform.organisations.models import LegalForm, Organisation, Register, VerificationRequest
from ngo_platform.organisations.selectors import DirectoryFilters, current_spheres
from ngo_platform.territory.models import Sphere, TerritorialUnit, UnitLevel

SORT_CHOICES = [
    ("", _("best match / name")),
    ("nazwa", _("name A–Z")),
    ("-nazwa", _("name Z–A")),
    ("najnowsze", _("newest on the platform")),
]


class DirectoryFilterForm(forms.Form):
    """The directory's GET parameters. Invalid values are dropped, not reported: a shared or
    old link still shows the directory."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sfera = forms.RegexField(regex=r"^\d{1,3}[a-z]?$", required=False)
    powiat = forms.RegexField(regex=r"^\d{4}$", required=False)
    gmina = forms.RegexField(regex=r"^\d{7}$", required=False)
    forma = forms.ChoiceField(choices=[("", "")] + LegalForm.choices, required=False)
    opp = forms.BooleanField(required=False)
    rejestr = forms.ChoiceField(choices=[("", "")] + Register.choices, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def filters(self) -> DirectoryFilters:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return DirectoryFilters(
            q=" ".join((data.get("q") or "").split()),
            sphere=data.get("sfera") or "",
            powiat=data.get("powiat") or "",
            gmina=data.get("gmina") or "",
            legal_form=data.get("forma") or "",
            opp=bool(data.get("opp")),
            register=data.get("rejestr") or "",
            sort=data.get("sort") or "",
        )


# --- Registration, verification, invitations ---------------------------------------------


EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# What an evidence file may be, recognised by its bytes (`core.uploads`), not by its name.
EVIDENCE_KINDS = ("pdf", "png", "jpeg")


def evidence_clean(upload):
    if not upload:
        return upload
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The file is too large: at most 10 MB."))
    if upload_kind(upload) not in EVIDENCE_KINDS:
        raise ValidationError(_("Attach a PDF, PNG or JPEG file (for example a KRS extract)."))
    return upload


class GminaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} ({unit.parent.name if unit.parent else ''}, {unit.teryt})"


class OrganisationRegistrationForm(forms.ModelForm):
    seat = GminaChoiceField(
        label=_("Gmina of the seat"),
        queryset=TerritorialUnit.objects.filter(level=UnitLevel.GMINA)
        .select_related("parent")
        .order_by("name", "teryt"),
    )
    spheres = forms.ModelMultipleChoiceField(
        label=_("Spheres of public tasks"),
        queryset=Sphere.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200)
    # Typed as people type them (with dashes, spaces, a PL prefix); cleaned to digits below.
    krs = ParsedText(label=_("KRS number"), required=False, max_length=20)
    nip = ParsedText(label=_("NIP"), required=False, max_length=20)
    regon = ParsedText(label=_("REGON"), required=False, max_length=20)
    evidence = forms.FileField(
        label=_("KRS extract or other evidence"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 10 MB. It is seen only by those who verify the request."),
    )
    note = bounded_text(
        VerificationRequest,
        "note",
        label=_("Note for the verifier"),
        required=False,
        rows=3,
        help_text=_("For example your function in the organisation, or where to check it."),
    )

    class Meta:
        model = Organisation
        # The register and the KRS number first: "Fetch data from the KRS" fills most of what follows.
        fields = [
            "register",
            "krs",
            "name",
            "short_name",
            "legal_form",
            "institution_type",
            "registry_number",
            "registry_authority",
            "nip",
            "regon",
            "seat",
            "city",
            "street",
            "postal_code",
            "founded_on",
            "is_opp",
            "opp_since",
            "spheres",
            "description_short",
            "email",
            "website",
            "phone",
        ]
        widgets = {
            "opp_since": DateInput(),
            "founded_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spheres"].queryset = current_spheres()
        # Blank only for an organisation an import could not tell it of (`Organisation.to_complete`) and for an
        # institution (`clean_institution_type`): a form asks.
        self.fields["legal_form"].required = False
        for name in ("krs", "nip", "regon"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["krs"].help_text = _("10 digits; leading zeros may be omitted.")
        say_limits(self)

    def _identifier(self, name, cleaner):
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        value = cleaner(value)
        if Organisation.objects.filter(**{name: value}).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("An organisation with this number is already in the directory: find it and ask to represent it.")
            )
        return value

    def clean_institution_type(self):
        """An NGO has its legal form; an institution (a school, a library, a company) has its type instead."""
        institution = self.cleaned_data.get("institution_type") or ""
        if not institution and not self.cleaned_data.get("legal_form") and "legal_form" not in self.errors:
            self.add_error("legal_form", _("Choose the legal form (for an institution that is not an NGO: its type)."))
        if institution:
            self.cleaned_data["legal_form"] = ""
        return institution

    def clean_krs(self):
        return self._identifier("krs", identifiers.krs_clean)

    def clean_nip(self):
        return self._identifier("nip", identifiers.nip_clean)

    def clean_regon(self):
        return self._identifier("regon", identifiers.regon_clean)

    def clean_evidence(self):
        return evidence_clean(self.cleaned_data.get("evidence"))

    def clean_register_numbers(self, cleaned: dict) -> None:
        """The number the chosen register needs, and a date of OPP status only with the status."""
        if cleaned.get("register") == "krs" and not cleaned.get("krs") and "krs" not in self.errors:
            self.add_error("krs", _("An organisation in the KRS needs its KRS number."))
        if cleaned.get("register") in ("starosta", "inny") and not cleaned.get("registry_number"):
            self.add_error("registry_number", _("Give the number in the register."))
        if cleaned.get("opp_since") and not cleaned.get("is_opp"):
            self.add_error("opp_since", _("A date of OPP status only with the OPP status."))

    def unvalidated(self):
        """Show the bound data as they are, without checking them (a form filled from the KRS, not sent yet)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        return self

    @classmethod
    def krs_values(cls, entry: krs_client.KrsEntry) -> tuple[dict[str, str | None], list[str]]:
        """The form's values from a KRS entry (None: leave the field empty), and what the person must still do.

        Only fields of this form; fields the entry does not settle keep what the person typed.
        """
        found = krs_client.settled(entry)
        values: dict[str, str | None] = {"register": "krs", "krs": entry.krs, "name": found["name"]}
        notes = []
        if "legal_form" in found:
            values["legal_form"] = found["legal_form"]
        else:
            notes.append(
                gettext("The KRS gives the legal form as “%(form)s”, which the platform does not recognise: choose it.")
                % {"form": entry.legal_form_text or "–"}
            )
        values |= {name: found[name] for name in ("nip", "regon", "street", "postal_code", "city") if name in found}
        seat = (
            TerritorialUnit.objects.filter(teryt=found["seat_teryt"], level=UnitLevel.GMINA).values_list(
                "pk", flat=True
            )
            if "seat_teryt" in found
            else []
        )
        if seat:
            values["seat"] = str(seat[0])
        else:
            notes.append(
                gettext("The gmina of the seat in the KRS, “%(gmina)s”, is not among the gminas here: choose it.")
                % {"gmina": ", ".join(filter(None, (entry.seat.gmina, entry.seat.voivodeship))) or "–"}
            )
        if "founded_on" in found:
            values["founded_on"] = found["founded_on"].isoformat()
        elif entry.registered_on:
            notes.append(
                gettext(
                    "The organisation was entered in the KRS on %(date)s from an earlier register: "
                    "give its founding date yourself."
                )
                % {"date": date_format(entry.registered_on, "j E Y")}
            )
        values["is_opp"] = "on" if entry.is_opp else None
        if entry.is_opp:
            notes.append(
                gettext("The KRS entry says the organisation has the OPP status, but not since when: give it.")
            )
        else:
            values["opp_since"] = None
        return {name: value for name, value in values.items() if name in cls.base_fields}, notes

    def clean(self):
        cleaned = super().clean()
        self.clean_register_numbers(cleaned)
        if not cleaned.get("evidence") and not (cleaned.get("note") or "").strip():
            self.add_error("evidence", _("Attach evidence or write a note, so that the verifier can check you."))
        return cleaned

    def _post_clean(self):
        # Uniqueness is checked above with a clearer message; the model's own full_clean runs in the service.
        pass


class ClaimForm(forms.Form):
    evidence = forms.FileField(
        label=_("KRS extract or other evidence"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 10 MB. It is seen only by those who verify the request."),
    )
    note = bounded_text(VerificationRequest, "note", label=_("Note for the verifier"), required=False, rows=3)

    def clean_evidence(self):
        return evidence_clean(self.cleaned_data.get("evidence"))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("evidence") and not (cleaned.get("note") or "").strip() and "evidence" not in self.errors:
            self.add_error("evidence", _("Attach evidence or write a note, so that the verifier can check you."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("verify", _("Verify: the applicant represents the organisation")), ("reject", _("Reject"))],
    )
    reason = bounded_text(
        VerificationRequest,
        "reason",
        label=_("Reason"),
        required=False,
        rows=3,
        help_text=_("Required when rejecting; the applicant receives it by e-mail."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the rejection: the applicant will read it."))
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationRole.choices, initial=OrganisationRole.EDITOR)


class OrganisationEditForm(OrganisationRegistrationForm):
    """What the organisation's representatives keep up to date."""

    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG, WebP or GIF, at most 5 MB; shown at most 400 px wide.")
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas of activity (powiats)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=TerritorialUnit.objects.filter(level=UnitLevel.POWIAT).order_by("teryt"),
    )

    class Meta(OrganisationRegistrationForm.Meta):
        fields = [
            *OrganisationRegistrationForm.Meta.fields,
            "description",
            "areas",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["evidence"], self.fields["note"]

    def clean_logo(self):
        from ngo_platform.core.images import image_normalise

        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        return image_normalise(upload, max_side=400, name=self.instance.slug or "logo")

    def clean(self):
        cleaned = forms.ModelForm.clean(self)  # no evidence here: skip the registration's own check
        self.clean_register_numbers(cleaned)
        return cleaned
