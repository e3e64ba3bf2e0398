"""Amounts in Polish words, as agreements write them: 1 234 567,89 zł → "jeden milion dwieście
trzydzieści cztery tysiące pięćset sześćdziesiąt siedem złotych 89/100"."""

from __future__ import annotations

UNITS = ["", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"]
TEENS = [
    "dziesięć",
    "jedenaście",
    "dwanaście",
    "trzynaście",
    "czternaście",
    "piętnaście",
    "szesnaście",
    "siedemnaście",
    "osiemnaście",
    "dziewiętnaście",
]
TENS = [
    "",
    "",
    "dwadzieścia",
    "trzydzieści",
    "czterdzieści",
    "pięćdziesiąt",
    "sześćdziesiąt",
    "siedemdziesiąt",
    "osiemdziesiąt",
    "dziewięćdziesiąt",
]
HUNDREDS = [
    "",
    "sto",
    "dwieście",
    "trzysta",
    "czterysta",
    "pięćset",
    "sześćset",
    "siedemset",
    "osiemset",
    "dziewięćset",
]
# (one, 2–4, 5+ and 12–14) forms of each power of a thousand.
SCALES = [
    ("", "", ""),
    ("tysiąc", "tysiące", "tysięcy"),
    ("milion", "miliony", "milionów"),
    ("miliard", "miliardy", "miliardów"),
]
ZLOTY = ("złoty", "złote", "złotych")


def plural_form(n: int, forms: tuple[str, str, str]) -> str:
    """The Polish plural: 1 złoty, 2–4 złote (not 12–14), otherwise złotych."""
    if n == 1:
        return forms[0]
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return forms[1]
    return forms[2]


def _below_thousand(n: int) -> list[str]:
    words = [HUNDREDS[n // 100]]
    rest = n % 100
    if 10 <= rest < 20:
        words.append(TEENS[rest - 10])
    else:
        words += [TENS[rest // 10], UNITS[rest % 10]]
    return [word for word in words if word]


def number_in_words(n: int) -> str:
    if n == 0:
        return "zero"
    groups = []
    scale = 0
    while n:
        n, group = divmod(n, 1000)
        if group:
            if scale and group == 1:
                words = [SCALES[scale][0]] if scale == 1 else ["jeden", SCALES[scale][0]]
            else:
                words = _below_thousand(group) + ([plural_form(group, SCALES[scale])] if scale else [])
            groups.insert(0, " ".join(words))
        scale += 1
    return " ".join(groups)


def amount_in_words(grosze: int) -> str:
    zloty, rest = divmod(int(grosze), 100)
    return f"{number_in_words(zloty)} {plural_form(zloty, ZLOTY)} {rest:02d}/100"
