from decimal import Decimal

import pytest

from ngo_platform.core.money import (
    MoneyError,
    format_money,
    format_percent,
    line_total,
    parse_money,
    parse_percent,
    parse_quantity,
)


@pytest.mark.parametrize(
    ("text", "grosze"),
    [
        ("1 234,50 zł", 123450),
        ("1234.5", 123450),
        ("1\u00a0234 zł", 123400),
        ("1.234,50", 123450),
        ("0,01", 1),
        ("12 000 PLN", 1200000),
        ("7", 700),
    ],
)
def test_polish_money_parses_to_grosze(text, grosze):
    assert parse_money(text) == grosze


@pytest.mark.parametrize("text", ["", "abc", "1,234", "-5", "1,2,3", "12,345"])
def test_bad_money_is_refused(text):
    if text == "1,234":
        # One comma and three decimals: not a valid amount in grosze.
        with pytest.raises(MoneyError):
            parse_money(text)
        return
    with pytest.raises(MoneyError):
        parse_money(text)


def test_format_and_quantities_and_percent():
    assert format_money(123450) == "1\u00a0234,50\u00a0zł"
    assert format_money(5) == "0,05\u00a0zł"
    assert parse_quantity("1,5") == Decimal("1.50")
    assert line_total(333, Decimal("1.5")) == 500  # 499,5 rounds half up
    assert parse_percent("10,5 %") == 1050 and format_percent(1050) == "10,5%" and format_percent(1000) == "10%"
    with pytest.raises(MoneyError):
        parse_percent("101")
