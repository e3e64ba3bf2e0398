"""The parser on complete real acts (fixtures/acts/README.md): the units and citations a reader of each act expects.

Each act is described by the outline of its units: citation, kind and the first words of the unit's text (or
title).  The signature, the annexes and the Uzasadnienie are checked in the same outline; budget classification
("dz. 852", "rozdz. 85278", "§ 4300", "paragraf 2010"), page footers and signatures must not be units.
"""

from pathlib import Path

import pytest

from ngo_platform.core.drafting import parse_text, render_text, walk

ACTS = Path(__file__).parent / "fixtures" / "acts"


def parse_act(name: str):
    return parse_text((ACTS / f"{name}.txt").read_text(encoding="utf-8"))


def outline(tree) -> list[tuple[str, str, str]]:
    """(citation, kind, first words) of every unit; the first words are those of the text, else of the title."""
    return [(unit.citation, unit.kind, " ".join((unit.text or unit.title).split()[:3])) for unit in walk(tree)]


def by_citation(tree) -> dict:
    return {unit.citation: unit for unit in walk(tree)}


def assert_outline(tree, expected):
    assert outline(tree) == expected
    # the canonical rendering reads back to the same tree
    assert parse_text(render_text(tree)) == tree


# --- Brzeg: a commission (pkt "1)", ust. "1.") ---------------------------------------------------


def test_brzeg_249_commission_points_and_ustepy():
    tree = parse_act("brzeg_zarzadzenie_249_2024_komisja_przetargowa")
    assert_outline(
        tree,
        [
            ("Preambuła", "preamble", "Zarządzenie Nr 249"),
            ("§ 1", "paragraf", "W celu przeprowadzenia"),
            ("§ 1 pkt 1", "punkt", "Przewodnicząca: Krystyna Nowakowska"),
            ("§ 1 pkt 2", "punkt", "Z-ca Przewodniczącej: Katarzyna"),
            ("§ 1 pkt 3", "punkt", "Członek: Piotr Reszczyński"),
            ("§ 1 pkt 4", "punkt", "Sekretarz: Kamila Pęcherska"),
            ("§ 1 pkt 5", "punkt", "Arkadiusz Wiśniewski -"),
            ("§ 2", "paragraf", ""),
            ("§ 2 ust. 1", "ustep", "Wykonanie Zarządzenia powierzam"),
            ("§ 2 ust. 2", "ustep", "Zarządzenie wchodzi w"),
            ("Podpis", "podpis", "(-) Violetta Jaskólska"),
        ],
    )
    units = by_citation(tree)
    # "§ 18" inside the legal basis and "Załącznika nr 1 do Zarządzenia …" on the next line are the preamble
    assert "oraz § 18 Załącznika nr 1 do Zarządzenia Nr 3626 /2023" in units["Preambuła"].text
    assert units["Preambuła"].text.endswith("zarządzam, co następuje:")
    assert units["§ 1"].text.endswith("powołuję komisję przetargową w następującym składzie:")
    # a point wrapped over two lines of the PDF
    assert units["§ 1 pkt 3"].text.endswith("Kierownik Biura Organizacyjno – Prawnego i Obsługi Rady Miejskiej,")
    # the signature belongs to no unit
    assert units["§ 2 ust. 2"].text == "Zarządzenie wchodzi w życie z dniem podpisania."
    assert (units["Podpis"].title, units["Podpis"].text) == ("BURMISTRZ", "(-) Violetta Jaskólska - Palus")


# --- Brzeg: lease and rental with the wykaz in Załącznik nr 2 --------------------------------------

WYKAZ_FIRST_WORDS = ["Oznaczenie nieruchomości:", "Opis nieruchomości:", "Przeznaczenie nieruchomości i"]


@pytest.mark.parametrize(
    ("name", "number", "office", "wykaz_items"),
    [
        ("brzeg_zarzadzenie_402_2024_najem_wykaz", "402/2024", "BURMISTRZ", 7),
        ("brzeg_zarzadzenie_4635_2024_dzierzawa_wykaz", "4635/2024", "Burmistrz", 7),
        ("brzeg_zarzadzenie_677_2024_dzierzawa_wykaz", "677/2024", "BURMISTRZ", 7),
        ("brzeg_zarzadzenie_56_2024_najem_wykaz", "56/2024", "Burmistrz", 9),
    ],
)
def test_brzeg_property_orders_with_a_wykaz(name, number, office, wykaz_items):
    tree = parse_act(name)
    citations = [unit.citation for unit in walk(tree)]
    assert citations == [
        "Preambuła",
        "§ 1",
        "§ 1 ust. 1",  # "§ 1.1. Przeznaczam" / "§1.1.Przeznaczam": the paragraph and its first ust.
        "§ 1 ust. 2",
        "§ 2",
        "§ 3",
        "§ 4",
        "§ 5",
        "Podpis",
        "Załącznik nr 1",
        "Załącznik nr 2",
        "Załącznik nr 2 akapit 1",
        *[f"Załącznik nr 2 ust. {n}" for n in range(1, wykaz_items + 1)],
        "Załącznik nr 2 Podpis",
    ]
    units = by_citation(tree)
    assert units["§ 1"].text == ""
    assert units["§ 1 ust. 1"].text.startswith("Przeznaczam do oddania w")
    assert units["§ 1 ust. 2"].text.startswith("Nieruchomość, o której mowa w ust. 1")
    assert units["§ 2"].text.startswith("Podaje się do publicznej wiadomości wykaz")
    assert units["§ 3"].text.startswith("Stawka czynszu wynika z Zarządzenia Burmistrza Brzegu")
    assert units["§ 4"].text.lower().startswith("wykonanie zarządzenia powierzam dyrektorowi")
    assert units["§ 5"].text == "Zarządzenie wchodzi w życie z dniem podpisania."
    assert units["Podpis"].title == office and units["Podpis"].text.startswith("(-) ")
    # both annexes: the header lines "Do Zarządzenia …", "Nr …", "Z dnia …" are the title
    for annex in ("Załącznik nr 1", "Załącznik nr 2"):
        assert units[annex].title.lower().startswith("do zarządzenia burmistrza")
        assert f"Nr {number}" in units[annex].title
    assert units["Załącznik nr 1"].children == []  # a map: only its heading is text
    assert units["Załącznik nr 2 akapit 1"].text.startswith("BURMISTRZ BRZEGU podaje do publicznej wiadomości wykaz")
    wykaz = [units[f"Załącznik nr 2 ust. {n}"].text for n in range(1, wykaz_items + 1)]
    assert [" ".join(text.split()[: len(words.split())]) for text, words in zip(wykaz, WYKAZ_FIRST_WORDS)] == (
        WYKAZ_FIRST_WORDS
    )
    assert wykaz[-1].startswith("Wykaz wywiesza się na okres 21 dni")
    assert wykaz[-1].endswith("lokalnej.")  # the place and date below it go with the signature
    signature = units["Załącznik nr 2 Podpis"]
    assert signature.title.startswith("Brzeg, dnia ") and signature.title.lower().endswith("burmistrz")


def test_brzeg_4635_paragraphs_without_dots_and_wykaz_without_spaces():
    units = by_citation(parse_act("brzeg_zarzadzenie_4635_2024_dzierzawa_wykaz"))
    # "§ 2 Podaje się …" (no dot) and "1.Oznaczenie nieruchomości" (no space)
    assert units["§ 2"].text.startswith("Podaje się do publicznej wiadomości")
    assert units["§ 5"].text == "Zarządzenie wchodzi w życie z dniem podpisania."
    assert units["Załącznik nr 2 ust. 1"].text.startswith("Oznaczenie nieruchomości: działka gruntu nr 906/5")
    assert units["Załącznik nr 2 ust. 4"].text.startswith("Stawka roczna czynszu: 0,49 zł/m² netto.")
    assert (units["Podpis"].title, units["Podpis"].text) == ("Burmistrz", "(-) Jerzy Wrębiak")
    assert units["Załącznik nr 2 Podpis"].title == "Brzeg, dnia 30 stycznia 2024r. Burmistrz"


def test_brzeg_56_no_spaces_at_all():
    units = by_citation(parse_act("brzeg_zarzadzenie_56_2024_najem_wykaz"))
    assert units["§ 1 ust. 1"].text.startswith("Przeznaczam do oddania w najem bezprzetargowo")  # "§1.1.Przeznaczam"
    assert units["§ 1 ust. 2"].text.startswith("Nieruchomość, o której mowa")  # "2.Nieruchomość"
    assert units["§ 2"].text.startswith("Podaje się do publicznej")  # "§2.Podaje"
    assert units["Załącznik nr 2"].title == "Do Zarządzenia Burmistrza Nr 56/2024 z dnia 22 maja 2024r."
    assert units["Załącznik nr 2 ust. 3"].text.startswith(
        "Przeznaczenie nieruchomości i sposób jej zagospodarowania: Zgodnie z planem"
    )
    assert units["Załącznik nr 2 ust. 9"].text.endswith("poprzez ogłoszenie w prasie lokalnej.")
    assert (units["Załącznik nr 2 Podpis"].title, units["Załącznik nr 2 Podpis"].text) == (
        "Brzeg, dnia 22.05.2024r. Burmistrz",
        "(-) Violetta Jaskólska-Palus",
    )


# --- Brzeg: budgets (classification rows are text, the Uzasadnienie is trailing text) --------------


def test_brzeg_631_paragraph_and_first_ust_on_one_line_footers_and_uzasadnienie():
    tree = parse_act("brzeg_zarzadzenie_631_2024_zmiany_budzet")
    assert_outline(
        tree,
        [
            ("Preambuła", "preamble", "ZARZĄDZENIE NR 631/2024"),
            ("§ 1", "paragraf", ""),
            ("§ 1 ust. 1", "ustep", "Zwiększyć plan dochodów"),
            ("§ 1 ust. 2", "ustep", "Zwiększyć plan wydatków"),
            ("§ 2", "paragraf", "Zarządzenie wchodzi w"),
            ("Podpis", "podpis", "Violetta Jaskólska-Palus"),
            ("Uzasadnienie", "uzasadnienie", "ZARZĄDZENIA NR 631/2024"),
        ],
    )
    units = by_citation(tree)
    # "dz. 852", "rozdz. 85278", "paragraf 2010" are words of the ust., not units
    assert units["§ 1 ust. 1"].text == (
        "Zwiększyć plan dochodów bieżących budżetu gminy o kwotę 32.625,00 zł "
        "w dz. 852 - Pomoc społeczna o kwotę 32.625,00 zł "
        "rozdz. 85278 - Usuwanie skutków klęsk żywiołowych o kwotę 32.625,00 zł "
        "dochody bieżące - 32.625,00 zł "
        "paragraf 2010 - Dotacja celowa otrzymana z budżetu państwa na realizację zadań bieżących z zakresu "
        "administracji rządowej oraz innych zadań zleconych gminie (związkom gmin, związkom "
        "powiatowo-gminnym) ustawami - 32.625,00 zł"
    )
    assert units["§ 1 ust. 2"].text.endswith("wynagrodzenia i pochodne od wynagrodzeń - 14.625,00 zł")
    assert units["§ 2"].text == "Zarządzenie wchodzi w życie z dniem podpisania."
    assert (units["Podpis"].title, units["Podpis"].text) == ("Burmistrz", "Violetta Jaskólska-Palus")
    # the rule line and "Id: … Podpisany Strona 1" are dropped; the Uzasadnienie keeps its points as text
    justification = units["Uzasadnienie"].text
    assert "Podpisany" not in justification and "–––" not in justification and "C64BF697" not in justification
    assert justification.startswith("ZARZĄDZENIA NR 631/2024 Burmistrza Brzegu z dnia 5 grudnia 2024 r.")
    assert "Opolskiego Urzędu Wojewódzkiego: 1) Nr FB.I.3111.1.114.2024.AM" in justification
    assert justification.endswith("we wrześniu 2024 r.")


@pytest.mark.parametrize(
    ("name", "ustepy", "signed_by", "justification_starts"),
    [
        ("brzeg_zarzadzenie_4648_2024_plan_finansowy", ["Zmniejszyć", "Zwiększyć"], "(-) Jerzy Wrębiak",
         "Zmiany w budżecie gminy na 2024 rok dotyczą zmniejszenia"),
        ("brzeg_zarzadzenie_515_2024_plan_finansowy", ["Zwiększyć", "Zwiększyć", "Zwiększyć"],
         "(-) Violetta Jaskólska-Palus", "W budżecie gminy na 2024 rok wprowadza się następujące zmiany: 1)"),
        ("brzeg_zarzadzenie_683_2024_plan_finansowy", ["Zwiększyć", "Zwiększyć"], "(-) Violetta Jaskólska-Palus",
         "Zmiany w budżecie gminy na 2024 rok wprowadza się na podstawie"),
        ("brzeg_zarzadzenie_91_2024_plan_finansowy", ["Zmniejszyć", "Zwiększyć"], "(-) Violetta Jaskólska-Palus",
         "Zmiany w budżecie gminy na 2024 rok dotyczą: 1) zmiany klasyfikacji"),
    ],
)  # fmt: skip
def test_brzeg_financial_plans(name, ustepy, signed_by, justification_starts):
    tree = parse_act(name)
    assert [(unit.citation, unit.kind) for unit in walk(tree)] == [
        ("Preambuła", "preamble"),
        ("§ 1", "paragraf"),
        *[(f"§ 1 ust. {n}", "ustep") for n in range(1, len(ustepy) + 1)],
        ("§ 2", "paragraf"),
        ("Podpis", "podpis"),
        ("Uzasadnienie", "uzasadnienie"),
    ]
    units = by_citation(tree)
    assert [units[f"§ 1 ust. {n}"].text.split()[0] for n in range(1, len(ustepy) + 1)] == ustepy
    assert units["§ 2"].text == "Zarządzenie wchodzi w życie z dniem podpisania."
    assert (units["Podpis"].title, units["Podpis"].text) == ("Burmistrz", signed_by)
    assert units["Uzasadnienie"].text.startswith(justification_starts)
    assert parse_text(render_text(tree)) == tree


def test_brzeg_4648_budget_rows_stay_in_their_ust():
    units = by_citation(parse_act("brzeg_zarzadzenie_4648_2024_plan_finansowy"))
    first, second = units["§ 1 ust. 1"].text, units["§ 1 ust. 2"].text
    assert first.endswith("w dz. 801 rozdz. 80146 § 4300 o kwotę 242.577,00 zł")
    # "§ 4700 o kwotę …" at the start of a row is the budget classification, not a paragraph
    assert "Publiczną Szkołę Podstawową nr 1 w dz. 801 rozdz. 80146 § 4300 o kwotę 20.000,00 zł § 4700" in second
    assert second.endswith("§ 4700 o kwotę 6.170,00 zł razem 7.670,00 zł")
    assert units["Uzasadnienie"].text.endswith("o łączną kwotę 249.396,00 zł na doskonalenie nauczycieli.")


def test_brzeg_515_uzasadnienie_points_and_letters_are_not_units():
    tree = parse_act("brzeg_zarzadzenie_515_2024_plan_finansowy")
    assert not [unit for unit in walk(tree) if unit.kind in ("punkt", "litera")]
    units = by_citation(tree)
    assert units["§ 1 ust. 2"].text == (
        "Zwiększyć plan przychodów budżetu gminy o 4.000.000,00 zł realizowany przez Urząd Miasta "
        "§ 950 o kwotę 4.000.000,00 zł"
    )
    assert units["§ 1 ust. 3"].text.endswith("§ 4300 o kwotę 57.000,00 zł razem 300.000,00 zł")
    justification = units["Uzasadnienie"].text
    assert "a) w dz. 600, rozdz. 60078, paragraf 2710 - Dotacja celowa" in justification
    assert "w) w dz. 926, rozdz. 92601 w planie finansowym MOSiR" in justification
    assert justification.endswith("na wykonanie całego zadania.")


# --- Other municipalities: points written "1." ---------------------------------------------------------


def test_ostroda_commission_members_written_with_dots_are_points():
    tree = parse_act("gmina_ostroda_zarzadzenie_31_2011_komisja_konkursu")
    assert_outline(
        tree,
        [
            ("Preambuła", "preamble", "Zarządzenie Nr 31/2011"),
            ("§ 1", "paragraf", "Powołuje się Komisję"),
            ("§ 1 pkt 1", "punkt", "Zofia Stankiewicz -"),
            ("§ 1 pkt 2", "punkt", "Ewelina Ignaczewska -"),
            ("§ 1 pkt 3", "punkt", "Marta Romanowska -"),
            ("§ 1 pkt 4", "punkt", "Aneta Janowicz -"),
            ("§ 1 pkt 5", "punkt", "Andrzej Bartnicki -"),
            ("§ 2", "paragraf", "I lustrację zgłoszonych"),
            ("§ 3", "paragraf", "Zarządzenie wchodzi w"),
            ("Podpis", "podpis", "Gustaw Marek Brzezin"),
            # the BIP page's footer after the signature is trailing free text, not part of § 3
            ("akapit 1", "text", "Sporządził/a: Marta Romanowska"),
            ("akapit 2", "text", "data publikacji: 01.04.2011,"),
            ("akapit 3", "text", "Od 2003 roku"),
            ("akapit 4", "text", "Aktualnie mamy 15"),
        ],
    )
    units = by_citation(tree)
    assert units["Preambuła"].text.endswith("zarządzam co następuje:")
    assert units["§ 1 pkt 5"].text == "Andrzej Bartnicki - Członek."
    # "II lustrację …" on the next line is not a chapter or a unit
    assert "2011r. II lustrację zgłoszonych" in units["§ 2"].text
    assert units["§ 3"].text == "Zarządzenie wchodzi w życie z dniem podjęcia."
    assert units["Podpis"].title == "Wójt Gminy Ostróda"


def test_dzierzkowice_publication_channels_written_with_dots_are_points():
    tree = parse_act("gmina_dzierzkowice_zarzadzenie_1_0050_2023_ogloszenie_konkursu_ofert")
    assert_outline(
        tree,
        [
            ("Preambuła", "preamble", "• 13 styczeń"),  # the page's date line is no tiret
            ("§ 1", "paragraf", "Ogłaszam otwarty konkurs"),
            ("§ 2", "paragraf", "Ogłoszenie otwartego konkursu"),
            ("§ 3", "paragraf", "Ogłoszenia o konkursie"),
            ("§ 3 pkt 1", "punkt", "umieszczenie na stronie"),
            ("§ 3 pkt 2", "punkt", "umieszczenie na Biuletynie"),
            ("§ 3 pkt 3", "punkt", "zamieszczenie na tablicy"),
            ("§ 4", "paragraf", "Zarządzenie wchodzi w"),
        ],
    )
    units = by_citation(tree)
    assert units["Preambuła"].text.endswith("poz. 6451 ) Zarządzam, co następuje:")
    assert units["§ 3"].text == "Ogłoszenia o konkursie publikuje się poprzez:"
    assert units["§ 3 pkt 3"].text == "zamieszczenie na tablicy ogłoszeń Urzędu Gminy."
    assert units["§ 4"].text == "Zarządzenie wchodzi w życie z dniem podjęcia."
