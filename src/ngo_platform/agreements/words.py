"""Amounts in Polish words, as agreements write them: 1 234 567,89 zł → "jeden milion dwieście
trzydzieści cztery tysiące pięćset sześćdziesiąt siedem złotych 89/100".

num2words spells the numbers and declines "złoty" (1 złoty, 2–4 złote but 12–14 złotych, otherwise złotych;
checked in tests/agreements/test_words.py). Ours is only the agreements' style: "jeden milion" (num2words
writes "milion"; "tysiąc" stays bare) and the grosze as "89/100"."""

from __future__ import annotations

import re
from decimal import Decimal

from num2words import num2words

# num2words writes a lone million, billion… in the singular and without "jeden"; only a group of exactly 1
# has the singular form ("dwa miliony", "dwadzieścia jeden milionów"), so the bare word is always that group.
_LONE_SCALE = re.compile(r"(?<!\S)(milion|miliard|bilion|biliard|trylion)(?!\S)")


def _agreement_style(words: str) -> str:
    return _LONE_SCALE.sub(r"jeden \1", words)


def number_in_words(n: int) -> str:
    return _agreement_style(num2words(int(n), lang="pl"))


def amount_in_words(grosze: int) -> str:
    zloty, rest = divmod(int(grosze), 100)
    # Currency mode gives "<złote> złoty|złote|złotych|<grosze> grosz…"; the agreements write the grosze as
    # digits. A Decimal, because num2words reads an int in currency mode as grosze.
    zloty_words = num2words(Decimal(zloty), lang="pl", to="currency", currency="PLN", separator="|").split("|")[0]
    return f"{_agreement_style(zloty_words)} {rest:02d}/100"
