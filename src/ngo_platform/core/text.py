"""Polish text helpers shared by every app: folding diacritics, making slugs, moments for messages."""

import unicodedata

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

# Letters Unicode decomposition leaves alone (ł has no combining form).
_EXTRA_FOLDS = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Związek Łowiecki" → "zwiazek lowiecki"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def slugify_pl(text: str, *, max_length: int = 150) -> str:
    """A URL slug from Polish text: "Koło Gospodyń Wiejskich w Łubnianach" → "kolo-gospodyn-wiejskich-w-lubnianach"."""
    return slugify(fold(text))[:max_length].strip("-")


def local_time(moment, format: str = "DATETIME_FORMAT") -> str:
    """A moment as people read it in messages and documents: in the platform's time zone (Europe/Warsaw),
    in the active language's format ("" for none)."""
    return date_format(timezone.localtime(moment), format) if moment else ""


def local_second(moment) -> str:
    """A moment to the second, as deadlines and arrivals are judged ("3 grudnia 2026, 23:59:58")."""
    return local_time(moment, "j E Y, H:i:s")
