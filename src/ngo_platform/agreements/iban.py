"""The bank account of an agreement: a Polish IBAN (PL + the 26 digits of the NRB), checked with
python-stdnum (ISO 13616 check digits and the Polish length), never a hand-rolled checksum."""

from __future__ import annotations

from django.utils.translation import gettext as _
from stdnum import iban
from stdnum.exceptions import ValidationError


def normalise(value: str) -> str:
    """ "61 1090 1014 0000 0712 1981 2874" or "PL61…" → "PL61109010140000071219812874"."""
    compact = iban.compact(value or "")
    if compact.isdigit():
        compact = "PL" + compact
    return compact


def iban_error(value: str) -> str | None:
    """None for a valid Polish account number, else a message for the person."""
    compact = normalise(value)
    if not compact.startswith("PL"):
        return _("Give a Polish account number (26 digits, optionally preceded by PL).")
    if len(compact) != 28:
        return _("A Polish account number has 26 digits; this one has %(n)s.") % {"n": len(compact) - 2}
    try:
        iban.validate(compact)
    except ValidationError:
        return _(
            "This account number is not valid: its check digits do not match. Check it against the bank's document."
        )
    return None
