"""Polish identifiers of organisations: KRS, NIP, REGON (domain.md §E).

Checksums come from python-stdnum; input is accepted with spaces, dashes or a PL prefix and
stored compact (digits only).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

NON_DIGITS = re.compile(r"\D")


def digits(value: str) -> str:
    return NON_DIGITS.sub("", value or "")


def krs_clean(value: str) -> str:
    """KRS: 10 digits with leading zeros; there is no check digit. "123456" → "0000123456"."""
    compact = digits(value)
    if not compact or len(compact) > 10 or re.search(r"[^\d\s-]", value.strip()):
        raise ValidationError(_("A KRS number has up to 10 digits, e.g. 0000123456."), code="krs")
    return compact.zfill(10)


def nip_clean(value: str) -> str:
    compact = stdnum_nip.compact(value or "")
    if not stdnum_nip.is_valid(compact):
        raise ValidationError(_("This is not a valid NIP: it needs 10 digits with a correct check digit."), code="nip")
    return compact


def regon_clean(value: str) -> str:
    compact = stdnum_regon.compact(value or "")
    if not stdnum_regon.is_valid(compact):
        raise ValidationError(
            _("This is not a valid REGON: it needs 9 or 14 digits with a correct check digit."), code="regon"
        )
    return compact
