"""Amounts in words: num2words' Polish (cardinals and the złoty/grosz declension of its currency mode) checked
against known-correct forms before the agreements trust it, then `agreements.words` on top of it."""

from decimal import Decimal

import pytest
from num2words import num2words

from ngo_platform.agreements.words import amount_in_words, number_in_words

CARDINALS = [
    (0, "zero"),
    (1, "jeden"),
    (2, "dwa"),
    (5, "pięć"),
    (11, "jedenaście"),
    (12, "dwanaście"),
    (15, "piętnaście"),
    (21, "dwadzieścia jeden"),
    (22, "dwadzieścia dwa"),
    (100, "sto"),
    (101, "sto jeden"),
    (112, "sto dwanaście"),
    (999, "dziewięćset dziewięćdziesiąt dziewięć"),
    (1000, "tysiąc"),
    (1001, "tysiąc jeden"),
    (2000, "dwa tysiące"),
    (5000, "pięć tysięcy"),
    (12000, "dwanaście tysięcy"),
    (14000, "czternaście tysięcy"),
    (21000, "dwadzieścia jeden tysięcy"),
    (22000, "dwadzieścia dwa tysiące"),
    (100000, "sto tysięcy"),
    (1_000_000, "milion"),
    (2_000_000, "dwa miliony"),
    (5_000_000, "pięć milionów"),
    (12_000_000, "dwanaście milionów"),
    (1_234_567, "milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem"),
]


@pytest.mark.parametrize(("n", "words"), CARDINALS)
def test_num2words_polish_cardinals_are_correct(n, words):
    assert num2words(n, lang="pl") == words


def test_num2words_polish_decimal_reads_the_fraction_after_przecinek():
    assert num2words(1_234_567.89, lang="pl") == (
        "milion dwieście trzydzieści cztery tysiące pięćset sześćdziesiąt siedem przecinek osiemdziesiąt dziewięć"
    )


def declension(n, forms):
    """The rule: 1 → forms[0]; 2–4 (not 12–14) → forms[1]; otherwise forms[2]."""
    if n == 1:
        return forms[0]
    return forms[1] if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else forms[2]


@pytest.mark.parametrize(
    ("zloty", "word"),
    [(0, "złotych"), (1, "złoty"), (2, "złote"), (4, "złote"), (5, "złotych"), (11, "złotych"), (12, "złotych")]
    + [(14, "złotych"), (21, "złotych"), (22, "złote"), (112, "złotych"), (122, "złote"), (1001, "złotych")],
)
def test_the_declension_rule_itself(zloty, word):
    assert declension(zloty, ("złoty", "złote", "złotych")) == word


def test_num2words_currency_mode_declines_zloty_and_grosz_correctly():
    # An int is read as grosze by num2words' currency mode, hence Decimal.
    for zloty in [*range(1100), 12_000, 22_000, 1_000_000, 2_000_012, 5_000_022]:
        grosze = zloty % 100
        text = num2words(Decimal(f"{zloty}.{grosze:02d}"), lang="pl", to="currency", currency="PLN")
        zloty_part, grosze_part = text.split(", ")
        assert zloty_part == f"{num2words(zloty, lang='pl')} {declension(zloty, ('złoty', 'złote', 'złotych'))}"
        assert grosze_part == f"{num2words(grosze, lang='pl')} {declension(grosze, ('grosz', 'grosze', 'groszy'))}"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        *[(n, words) for n, words in CARDINALS if n < 1_000_000],
        # Agreements write "jeden milion", as before num2words; "tysiąc" stays without "jeden".
        (1_000_000, "jeden milion"),
        (2_000_000, "dwa miliony"),
        (1_001_000, "jeden milion tysiąc"),
        (1_000_000_000, "jeden miliard"),
        (1_001_000_001, "jeden miliard jeden milion jeden"),
        (21_000_000, "dwadzieścia jeden milionów"),
    ],
)
def test_number_in_words(n, words):
    assert number_in_words(n) == words


@pytest.mark.parametrize(
    ("grosze", "words"),
    [
        (0, "zero złotych 00/100"),
        (1, "zero złotych 01/100"),
        (2_00, "dwa złote 00/100"),
        (5_50, "pięć złotych 50/100"),
        (13_00, "trzynaście złotych 00/100"),
        (24_99, "dwadzieścia cztery złote 99/100"),
        (112_00, "sto dwanaście złotych 00/100"),
        (1_002_00, "tysiąc dwa złote 00/100"),
        (12_000_00, "dwanaście tysięcy złotych 00/100"),
        (2_000_000_00, "dwa miliony złotych 00/100"),
        (5_000_000_00, "pięć milionów złotych 00/100"),
    ],
)
def test_amount_in_words(grosze, words):
    assert amount_in_words(grosze) == words
