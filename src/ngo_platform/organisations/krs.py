"""The KRS open API of the Ministry of Justice: an entity's current entry (odpis aktualny) by its KRS number.

`fetch(number)` asks `{NGO_KRS_API_URL}/OdpisAktualny/{krs}?rejestr=S&format=json` (register S: associations,
foundations, other social organisations), then register P (entrepreneurs: non-profit companies, social
cooperatives) when S does not know the number, and returns a plain `KrsEntry`. Every failure (the setting is off,
a number that is not a KRS number, an unknown number, a timeout, a 5xx, a body that is not the documented JSON)
raises one `KrsError` with a message for the person; its `code` tells callers apart without subclasses.

Nothing here knows forms or views: registration and editing fill a form from the entry (forms.py), the verifier's
page compares the applicant's name with the representation (`matching_members`), an import may use `fetch` alone.

The shape read is the documented one (docs/krs.md, tests/organisations/fixtures/krs/README.md):
`odpis.naglowekA` (numerKRS, stanZDnia, dataRejestracjiWKRS), `odpis.dane.dzial1.danePodmiotu` (nazwa,
formaPrawna, identyfikatory, daneOWczesniejszejRejestracji, czyPosiadaStatusOPP), `dzial1.siedzibaIAdres`
(siedziba, adres), `dzial2.reprezentacja` (nazwaOrganu, sposobReprezentacji, sklad[]). The open API masks
personal data: a name arrives as its first letter and one asterisk per further letter ("JAN" → "J**").
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from ngo_platform.core.exceptions import ServiceError
from ngo_platform.core.text import fold
from ngo_platform.organisations import identifiers

REGISTERS = ("S", "P")
# A current entry is ~10 KB; anything far larger is not one.
MAX_BODY_BYTES = 2 * 1024 * 1024
MASK = "*"


class KrsError(ServiceError):
    """The registry gave no entry. `code`: off, invalid, not_found, timeout, unavailable, malformed."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message, field="krs")
        self.code = code


class Member(NamedTuple):
    """One person of the representation body, as the register spells them (masked by the open API)."""

    function: str
    first_names: str
    surname: str


@dataclass(frozen=True)
class Representation:
    body: str = ""  # nazwaOrganu, e.g. "ZARZĄD"
    method: str = ""  # sposobReprezentacji
    members: tuple[Member, ...] = ()


@dataclass(frozen=True)
class Address:
    street: str = ""  # street (or village) and number, as registered: "UL. RYNEK 1/2"
    postal_code: str = ""
    town: str = ""


@dataclass(frozen=True)
class Seat:
    voivodeship: str = ""
    powiat: str = ""
    gmina: str = ""
    town: str = ""
    # The gmina's TERYT code when one gmina of our territory has that name in that voivodeship (and powiat).
    teryt: str | None = None


@dataclass(frozen=True)
class KrsEntry:
    krs: str
    register: str  # "S" or "P": the register that answered
    name: str
    legal_form_text: str  # formaPrawna as registered, e.g. "STOWARZYSZENIE"
    # legal_forms.match of it: our LegalForm value, legal_forms.EXCLUDED for a form outside the act, None if unknown.
    legal_form: str | None
    nip: str = ""  # only a valid one
    regon: str = ""  # only a valid one; 9 digits when the registry's 14 are the 9 and five zeros
    address: Address = field(default_factory=Address)
    seat: Seat = field(default_factory=Seat)
    registered_on: date | None = None  # dataRejestracjiWKRS
    # Entered from an earlier register (daneOWczesniejszejRejestracji): the KRS date is not the founding one.
    previously_registered: bool = False
    as_of: date | None = None  # stanZDnia: how current the registry's data are
    is_opp: bool = False
    representation: Representation = field(default_factory=Representation)


def enabled() -> bool:
    return bool(settings.NGO_KRS_API_URL)


def fetch(number: str) -> KrsEntry:
    """The current entry of KRS `number` (typed as people type it); `KrsError` when there is none to give."""
    if not enabled():
        raise KrsError(_("Fetching data from the KRS is switched off on this platform."), code="off")
    try:
        krs = identifiers.krs_clean(number or "")
    except ValidationError:
        raise KrsError(_("Type the KRS number (up to 10 digits) first."), code="invalid") from None
    deadline = time.monotonic() + settings.NGO_KRS_TIMEOUT_SECONDS
    for register in REGISTERS:
        body = _get(f"{settings.NGO_KRS_API_URL}/OdpisAktualny/{krs}?rejestr={register}&format=json", deadline)
        if body is not None:
            return parse(body, krs=krs, register=register)
    raise KrsError(
        _("The KRS has no entity with the number %(krs)s. Check the number.") % {"krs": krs}, code="not_found"
    )


def _get(url: str, deadline: float) -> Any | None:
    """The decoded JSON at `url`; None for a 404 (the number is not in that register)."""
    timeout = deadline - time.monotonic()
    if timeout <= 0:
        raise _timeout()
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "ngo-platform"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            chunks, size = [], 0
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise _malformed()
                if time.monotonic() > deadline:
                    raise _timeout()
                chunks.append(chunk)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise KrsError(
            _("The KRS did not answer properly (error %(status)s). Try again later or type the data yourself.")
            % {"status": error.code},
            code="unavailable",
        ) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timeout() from None
        raise KrsError(
            _("The KRS cannot be reached now. Try again later or type the data yourself."), code="unavailable"
        ) from None
    except TimeoutError:
        raise _timeout() from None
    except OSError:
        raise KrsError(
            _("The KRS cannot be reached now. Try again later or type the data yourself."), code="unavailable"
        ) from None
    try:
        return json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _malformed() from None


def _timeout() -> KrsError:
    return KrsError(_("The KRS did not answer in time. Try again later or type the data yourself."), code="timeout")


def _malformed() -> KrsError:
    return KrsError(
        _("The KRS answered with data the platform cannot read. Try again later or type the data yourself."),
        code="malformed",
    )


# --- Reading the odpis ------------------------------------------------------------------------------------


def _at(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(data: Any, *path: str) -> str:
    value = _at(data, *path)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _date(value: str) -> date | None:
    try:
        return datetime.strptime(value, "%d.%m.%Y").date()
    except (TypeError, ValueError):
        return None


def parse(body: Any, *, krs: str, register: str) -> KrsEntry:
    """A `KrsEntry` from a decoded odpis aktualny; `KrsError` (malformed) when it is not one for `krs`."""
    header = _at(body, "odpis", "naglowekA")
    dane = _at(body, "odpis", "dane")
    name = _text(dane, "dzial1", "danePodmiotu", "nazwa")
    if not isinstance(header, dict) or not isinstance(dane, dict) or not name or header.get("numerKRS") != krs:
        raise _malformed()
    subject = _at(dane, "dzial1", "danePodmiotu")
    form_text = _text(subject, "formaPrawna")
    seat = _at(dane, "dzial1", "siedzibaIAdres", "siedziba")
    address = _at(dane, "dzial1", "siedzibaIAdres", "adres")
    earlier = _at(subject, "daneOWczesniejszejRejestracji")
    return KrsEntry(
        krs=krs,
        register=register,
        name=name,
        legal_form_text=form_text,
        legal_form=_legal_form(form_text),
        nip=_nip(_text(subject, "identyfikatory", "nip")),
        regon=_regon(_text(subject, "identyfikatory", "regon")),
        address=_address(address),
        seat=_seat(seat),
        registered_on=_date(_text(header, "dataRejestracjiWKRS")),
        previously_registered=isinstance(earlier, dict) and any(earlier.values()),
        as_of=_date(_text(header, "stanZDnia")),
        is_opp=_at(subject, "czyPosiadaStatusOPP") is True,
        representation=_representation(_at(dane, "dzial2", "reprezentacja")),
    )


def _legal_form(text: str) -> str | None:
    from ngo_platform.organisations import legal_forms

    return legal_forms.match(text) if text else None


def _nip(value: str) -> str:
    return value if value and stdnum_nip.is_valid(value) else ""


def _regon(value: str) -> str:
    """The registry gives 14 digits; a main unit's are its REGON-9 and five zeros."""
    if len(value) == 14 and value.endswith("00000") and stdnum_regon.is_valid(value[:9]):
        return value[:9]
    return value if value and stdnum_regon.is_valid(value) else ""


def _address(address: Any) -> Address:
    number = _text(address, "nrDomu")
    if flat := _text(address, "nrLokalu"):
        number = f"{number}/{flat}" if number else flat
    # Without a street the address is the village and the number ("KOPICE 12").
    street = _text(address, "ulica") or (_text(address, "miejscowosc") if number else "")
    return Address(
        street=" ".join(part for part in (street, number) if part),
        postal_code=_text(address, "kodPocztowy"),
        town=_text(address, "miejscowosc"),
    )


def _seat(seat: Any) -> Seat:
    found = Seat(
        voivodeship=_text(seat, "wojewodztwo"),
        powiat=_text(seat, "powiat"),
        gmina=_text(seat, "gmina"),
        town=_text(seat, "miejscowosc"),
    )
    return replace(found, teryt=gmina_teryt(found))


def _representation(organ: Any) -> Representation:
    members = []
    for person in _at(organ, "sklad") or []:
        if not isinstance(person, dict):
            continue
        first_names = " ".join(filter(None, (_text(person, "imiona", key) for key in ("imie", "imieDrugie"))))
        surname = "-".join(
            filter(None, (_text(person, "nazwisko", key) for key in ("nazwiskoICzlon", "nazwiskoIICzlon")))
        )
        if first_names or surname:
            members.append(Member(_text(person, "funkcjaWOrganie"), first_names, surname))
    return Representation(
        body=_text(organ, "nazwaOrganu"), method=_text(organ, "sposobReprezentacji"), members=tuple(members)
    )


# --- The seat's gmina in our territory ----------------------------------------------------------------------

# The register writes a city's gmina and powiat as "M. OPOLE", the capital as "M.ST. WARSZAWA".
_UNIT_PREFIX = re.compile(r"^(m\.\s*st\.|m\.|gm\.)\s*")


def _unit_name(text: str) -> str:
    return _UNIT_PREFIX.sub("", fold(text).strip()).strip()


def gmina_teryt(seat: Seat) -> str | None:
    """The TERYT code of the seat's gmina: its name in its voivodeship, its powiat deciding between namesakes.

    None when our territory has no such voivodeship or no single gmina of that name. Two queries.
    """
    from ngo_platform.territory.models import TerritorialUnit, UnitLevel

    if not seat.gmina or not seat.voivodeship:
        return None
    voivodeships = [
        teryt
        for teryt, name in TerritorialUnit.objects.filter(level=UnitLevel.VOIVODESHIP).values_list("teryt", "name")
        if _unit_name(name) == _unit_name(seat.voivodeship)
    ]
    if len(voivodeships) != 1:
        return None
    gmina = _unit_name(seat.gmina)
    candidates = [
        (teryt, powiat)
        for teryt, name, powiat in TerritorialUnit.objects.filter(
            level=UnitLevel.GMINA, teryt__startswith=voivodeships[0]
        ).values_list("teryt", "name", "parent__name")
        if _unit_name(name) == gmina
    ]
    if len(candidates) > 1 and seat.powiat:
        candidates = [
            (teryt, powiat) for teryt, powiat in candidates if _unit_name(powiat or "") == _unit_name(seat.powiat)
        ]
    return candidates[0][0] if len(candidates) == 1 else None


def settled(entry: KrsEntry) -> dict[str, Any]:
    """What an entry settles of an organisation, as the model stores it (a key only where the entry says it), so
    that the registration form and the import fill from it alike: name, legal form (one of ours), NIP, REGON,
    street, postal code, town, the seat's TERYT, the registration date as founding date (not for an entity that
    came from an earlier register: the KRS entry date is not its founding) and the OPP status."""
    values: dict[str, Any] = {
        "name": entry.name,
        "street": readable(entry.address.street),
        "postal_code": entry.address.postal_code,
        "city": readable(entry.address.town or entry.seat.town),
        "is_opp": entry.is_opp,
    }
    from ngo_platform.organisations import legal_forms

    if entry.legal_form and entry.legal_form != legal_forms.EXCLUDED:
        values["legal_form"] = entry.legal_form
    for name in ("nip", "regon"):
        if getattr(entry, name):
            values[name] = getattr(entry, name)
    if entry.seat.teryt:
        values["seat_teryt"] = entry.seat.teryt
    if entry.registered_on and not entry.previously_registered:
        values["founded_on"] = entry.registered_on
    return values


# --- How registered text reads on our pages -----------------------------------------------------------------

_LOWER_WORDS = {"nad", "pod", "przy", "w", "we", "z", "ze", "i", "na", "u", "o", "im.", "ul.", "al.", "pl.", "os."}
_ROMAN = re.compile(r"^(?=[IVXLC])M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")


def readable(text: str) -> str:
    """Registered upper case as people write it: "UL. JANA PAWŁA II 3" → "ul. Jana Pawła II 3"."""

    def word(token: str, first: bool) -> str:
        if _ROMAN.match(token) or not any(ch.isalpha() for ch in token):
            return token
        lower = token.lower()
        if lower in _LOWER_WORDS and not (first and not lower.endswith(".")):
            return lower
        return "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))

    return " ".join(word(token, index == 0) for index, token in enumerate((text or "").split()))


# --- Is the applicant in the representation? ------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s\-]+")


def _tokens(text: str) -> list[str]:
    return [token for token in _SEPARATORS.split(fold(text).replace(".", " ")) if token]


def _token_matches(typed: str, registered: str) -> str | None:
    """ "exact" when equal, "masked" when the registry's mask (first letter, then asterisks) fits, else None."""
    if typed == registered:
        return "exact"
    if (
        registered.endswith(MASK)
        and set(registered[1:]) == {MASK}
        and len(registered) == len(typed)
        and registered[0] == typed[0]
    ):
        return "masked"
    return None


def member_match(name: str, member: Member) -> str | None:
    """Whether `name` (a display name) is this member: "exact", "masked" (fits the masked entry) or None.

    Case, diacritics and word order do not matter; every word of the name must be one of the member's, and the
    member's first given name and every part of the surname must be among them (a second given name may be left
    out). A masked entry keeps only initials and lengths, so "masked" says the name fits, not that it is the person.
    """
    typed = _tokens(name)
    given = _tokens(member.first_names)
    surname = _tokens(member.surname)
    if not typed or not given or not surname:
        return None
    required = [given[0], *surname]
    optional = given[1:]
    # Match each required registered word to a distinct typed word, then the rest to optional ones.
    remaining = list(typed)
    kinds = []
    for registered in required:
        for index, word in enumerate(remaining):
            if kind := _token_matches(word, registered):
                kinds.append(kind)
                del remaining[index]
                break
        else:
            return None
    for word in remaining:
        for index, registered in enumerate(optional):
            if kind := _token_matches(word, registered):
                kinds.append(kind)
                del optional[index]
                break
        else:
            return None
    return "exact" if all(kind == "exact" for kind in kinds) else "masked"


def matching_members(name: str, members) -> list[tuple[Member, str | None]]:
    """Every member with how `name` matches them (see `member_match`)."""
    return [(member, member_match(name, member)) for member in members]
