"""Money in grosze (integers), never floats: parsing Polish input and formatting for people.

"1 234,50 zł", "1234.5", "1 234 zł", "1.234,50" all parse to 123450 grosze. Shares are kept in basis
points (hundredths of a per cent: 10,5% = 1050) and compared in integers.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ngo_platform.core.exceptions import ServiceError

NBSP = "\u00a0"
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_CURRENCY = re.compile(r"(zł|zl|pln)\.?$", re.IGNORECASE)


class MoneyError(ServiceError, ValueError):
    """An amount that cannot be read (`core.exceptions.ServiceError`)."""


def _decimal(text: str) -> Decimal:
    raw = _SPACES.sub("", str(text or "")).strip()
    raw = _CURRENCY.sub("", raw).strip()
    if not raw:
        raise MoneyError("empty")
    if "," in raw and "." in raw:
        # "1.234,50": dots group thousands, the comma is the decimal separator.
        raw = raw.replace(".", "").replace(",", ".")
    else:
        raw = raw.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", raw):
        raise MoneyError(text)
    try:
        return Decimal(raw)
    except InvalidOperation as error:  # pragma: no cover - the regex admits only valid numbers
        raise MoneyError(text) from error


def parse_money(text: str) -> int:
    """Grosze from Polish input. At most two decimal places; negative amounts are refused."""
    value = _decimal(text)
    if value < 0 or value.as_tuple().exponent < -2:
        raise MoneyError(text)
    return int(value * 100)


def parse_quantity(text: str) -> Decimal:
    """A number of units ("12", "1,5"), at most two decimal places, not negative."""
    value = _decimal(text)
    if value < 0 or value.as_tuple().exponent < -2:
        raise MoneyError(text)
    return value.quantize(Decimal("0.01"))


def parse_percent(text: str) -> int:
    """Basis points from a percentage ("10", "10,5 %"): 10,5% → 1050."""
    raw = str(text or "").strip().rstrip("%").strip()
    value = _decimal(raw)
    if value < 0 or value > 100 or value.as_tuple().exponent < -2:
        raise MoneyError(text)
    return int(value * 100)


def line_total(unit_cost: int, units: Decimal) -> int:
    """Unit cost (grosze) × number of units, rounded half up to the grosz."""
    return int((Decimal(unit_cost) * Decimal(units)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_money(grosze: int | None, *, currency: bool = True) -> str:
    """123450 → "1 234,50 zł" (non-breaking spaces)."""
    if grosze is None:
        return ""
    sign = "-" if grosze < 0 else ""
    zloty, rest = divmod(abs(int(grosze)), 100)
    groups = f"{zloty:,}".replace(",", NBSP)
    text = f"{sign}{groups},{rest:02d}"
    return f"{text}{NBSP}zł" if currency else text


def format_plain(grosze: int | None) -> str:
    """For input fields: 123450 → "1234,50"."""
    if grosze is None:
        return ""
    zloty, rest = divmod(int(grosze), 100)
    return f"{zloty},{rest:02d}"


def format_quantity(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def format_percent(basis_points: int | None) -> str:
    """1050 → "10,5%"; 1000 → "10%"."""
    if basis_points is None:
        return ""
    whole, rest = divmod(int(basis_points), 100)
    return f"{whole}%" if not rest else f"{whole},{rest:02d}".rstrip("0") + "%"


def share_bp(part: int, total: int) -> int:
    """Share of `part` in `total` in basis points, rounded down (0 when the total is 0)."""
    return (part * 10000) // total if total else 0
