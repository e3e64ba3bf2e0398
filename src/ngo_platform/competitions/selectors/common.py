"""What the reads of several subjects share."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ngo_platform.competitions.models import OfferState

# The offers past a positive formal check: the ones the commission scores and the ranking lists.
EVALUATED_STATES = (OfferState.FORMALLY_CORRECT, OfferState.EVALUATED, OfferState.FUNDED, OfferState.NOT_FUNDED)
TWO_PLACES = Decimal("0.01")


def rounded(value: Fraction | None) -> Decimal | None:
    """An exact average shown with two decimal places, rounded half up (12.345 → 12.35)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
