"""The parser of draft acts: constructs, PDF repairs, citations, files, the parse_draft command."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ngo_platform.core.drafting import (
    DraftFileError,
    Unit,
    cite,
    extract_text,
    parse_file,
    parse_text,
    render_text,
    repair_text,
    to_json,
    walk,
)

ACTS = Path(__file__).parent / "fixtures" / "acts"


def units(text: str) -> list[tuple[str, str]]:
    """(citation, text) of every unit, in document order."""
    return [(unit.citation, unit.text) for unit in walk(parse_text(text))]


def citations(text: str) -> list[str]:
    return [unit.citation for unit in walk(parse_text(text))]


def kinds(text: str) -> list[str]:
    return [unit.kind for unit in walk(parse_text(text))]


# --- paragraphs, articles, ust., pkt, lit., tirets ---------------------------------------


@pytest.mark.parametrize("header", ["§ 1.", "§1.", "§ 1", "§1"])
def test_paragraf_header_variants(header):
    assert units(f"{header} Uchwala się program.") == [("§ 1", "Uchwala się program.")]


def test_paragraf_with_letter_and_text_on_next_line():
    assert units("§ 3a.\nWykonanie uchwały powierza się Wójtowi.") == [
        ("§ 3a", "Wykonanie uchwały powierza się Wójtowi.")
    ]


@pytest.mark.parametrize("header", ["Art. 1.", "Art.1.", "Art. 1", "ART. 1."])
def test_artykul_header_variants(header):
    assert units(f"{header} Ustawa reguluje.") == [("Art. 1", "Ustawa reguluje.")]


def test_artykul_with_letter_and_ust():
    assert units("Art. 5a.\n1. Pierwszy.\n2. Drugi.") == [
        ("Art. 5a", ""),
        ("Art. 5a ust. 1", "Pierwszy."),
        ("Art. 5a ust. 2", "Drugi."),
    ]


def test_full_nesting_down_to_tiret():
    text = """§ 3. Program określa:
1. Cele.
2. Formy współpracy:
1) finansowe;
2) pozafinansowe, w tym:
a) konsultacje,
b) zespoły:
– doradcze,
– inicjatywne;
3) inne.
3. Zasady.
§ 4. Koniec."""
    assert units(text) == [
        ("§ 3", "Program określa:"),
        ("§ 3 ust. 1", "Cele."),
        ("§ 3 ust. 2", "Formy współpracy:"),
        ("§ 3 ust. 2 pkt 1", "finansowe;"),
        ("§ 3 ust. 2 pkt 2", "pozafinansowe, w tym:"),
        ("§ 3 ust. 2 pkt 2 lit. a", "konsultacje,"),
        ("§ 3 ust. 2 pkt 2 lit. b", "zespoły:"),
        ("§ 3 ust. 2 pkt 2 lit. b tiret 1", "doradcze,"),
        ("§ 3 ust. 2 pkt 2 lit. b tiret 2", "inicjatywne;"),
        ("§ 3 ust. 2 pkt 3", "inne."),
        ("§ 3 ust. 3", "Zasady."),
        ("§ 4", "Koniec."),
    ]


def test_pkt_directly_under_paragraf_and_tirets_under_pkt():
    assert citations("§ 2. Celami są:\n1) rozwój:\n- sportu,\n— kultury;\n2) zdrowie.") == [
        "§ 2",
        "§ 2 pkt 1",
        "§ 2 pkt 1 tiret 1",
        "§ 2 pkt 1 tiret 2",
        "§ 2 pkt 2",
    ]


def test_pkt_after_letters_closes_them():
    tree = parse_text("§ 1. Formy:\n1) a:\na) x,\nb) y;\n2) b.")
    pkt1, pkt2 = tree.children[0].children
    assert [lit.label for lit in pkt1.children] == ["a", "b"]
    assert (pkt2.kind, pkt2.label, pkt2.children) == ("punkt", "2", [])


def test_wrapped_lines_join_into_one_unit():
    text = "§ 1. Uchwala się Program współpracy z organizacjami\npozarządowymi na rok 2025\nw brzmieniu załącznika."
    assert units(text) == [
        ("§ 1", "Uchwala się Program współpracy z organizacjami pozarządowymi na rok 2025 w brzmieniu załącznika.")
    ]


def test_duplicate_labels_and_gaps_are_kept_as_written():
    tree = parse_text("§ 1. A.\n§ 1. B.\n§ 3. C.\n1. x\n1. y")
    assert [(u.label, u.citation) for u in walk(tree)] == [
        ("1", "§ 1"),
        ("1", "§ 1 [2]"),
        ("3", "§ 3"),
        ("1", "§ 3 ust. 1"),
        ("1", "§ 3 ust. 1 [2]"),
    ]


# --- headings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Rozdział II\nCele programu\n§ 1. Tekst.",
        "Rozdział II. Cele programu\n§ 1. Tekst.",
        "Rozdział II – Cele programu\n§ 1. Tekst.",
        "ROZDZIAŁ II\nCele programu\n§ 1. Tekst.",
        "Rozdział II: Cele programu\n§ 1. Tekst.",
    ],
)
def test_rozdzial_roman_with_title_on_same_or_next_line(text):
    chapter = parse_text(text).children[0]
    assert (chapter.kind, chapter.label, chapter.title, chapter.citation) == (
        "rozdzial",
        "II",
        "Cele programu",
        "Rozdział II",
    )
    assert chapter.children[0].citation == "§ 1"


def test_rozdzial_arabic_and_wrapped_title():
    chapter = parse_text(
        "Rozdział 3\nPriorytetowe zadania publiczne realizowane\nwe współpracy z organizacjami\n1. Sport."
    ).children[0]
    assert (chapter.label, chapter.title) == (
        "3",
        "Priorytetowe zadania publiczne realizowane we współpracy z organizacjami",
    )
    assert [c.citation for c in chapter.children] == ["Rozdział 3 ust. 1"]


def test_dzial_rozdzial_oddzial_nesting():
    text = "Dział I\nPrzepisy ogólne\nRozdział 1\nZakres\nOddział 1\nDefinicje\nArt. 1. Tekst.\nRozdział 2\nCele\nArt. 2. Dalej."
    tree = parse_text(text)
    assert [(u.kind, u.citation) for u in walk(tree)] == [
        ("dzial", "Dział I"),
        ("rozdzial", "Dział I Rozdział 1"),
        ("oddzial", "Dział I Rozdział 1 Oddział 1"),
        ("artykul", "Art. 1"),
        ("rozdzial", "Dział I Rozdział 2"),
        ("artykul", "Art. 2"),
    ]


def test_paragraf_numbering_restarting_per_chapter_is_cited_with_the_chapter():
    text = "Rozdział 1\nA\n§ 1. x\n§ 2. y\nRozdział 2\nB\n§ 1. z"
    assert citations(text) == ["Rozdział 1", "Rozdział 1 § 1", "Rozdział 1 § 2", "Rozdział 2", "Rozdział 2 § 1"]


def test_free_text_paragraphs_under_a_heading():
    text = "Rozdział I\nWstęp\nProgram jest wyrazem polityki\ngminy.\n\nDrugi akapit.\n1. Cel."
    assert [(u.kind, u.citation, u.text) for u in walk(parse_text(text))] == [
        ("rozdzial", "Rozdział I", ""),
        ("text", "Rozdział I akapit 1", "Program jest wyrazem polityki gminy."),
        ("text", "Rozdział I akapit 2", "Drugi akapit."),
        ("ustep", "Rozdział I ust. 1", "Cel."),
    ]


# --- preamble and annexes ---------------------------------------------------------------

RESOLUTION = """UCHWAŁA NR XII/100/24
RADY GMINY PRZYKŁADOWO
z dnia 20 listopada 2024 r.
w sprawie przyjęcia programu współpracy
Na podstawie art. 5a ust. 1 ustawy z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego
i o wolontariacie uchwala się, co następuje:
§ 1. Przyjmuje się Program stanowiący załącznik nr 1 do uchwały.
§ 2. Uchwała wchodzi w życie z dniem 1 stycznia 2025 r.
Załącznik nr 1 do uchwały nr XII/100/24
Rady Gminy Przykładowo
z dnia 20 listopada 2024 r.
PROGRAM WSPÓŁPRACY NA 2025 ROK
Rozdział 1
Postanowienia ogólne
§ 1. Program określa:
1) cele;
2) formy.
§ 2. Ilekroć mowa o:
1) ustawie – rozumie się ustawę,
2) gminie – rozumie się Gminę.
Załącznik nr 2
Formularz
1. Imię.
"""


def test_resolution_with_preamble_and_annexes():
    assert [(u.kind, u.citation) for u in walk(parse_text(RESOLUTION))] == [
        ("preamble", "Preambuła"),
        ("paragraf", "§ 1"),
        ("paragraf", "§ 2"),
        ("zalacznik", "Załącznik nr 1"),
        ("text", "Załącznik nr 1 akapit 1"),
        ("rozdzial", "Załącznik nr 1 Rozdział 1"),
        ("paragraf", "Załącznik nr 1 § 1"),
        ("punkt", "Załącznik nr 1 § 1 pkt 1"),
        ("punkt", "Załącznik nr 1 § 1 pkt 2"),
        ("paragraf", "Załącznik nr 1 § 2"),
        ("punkt", "Załącznik nr 1 § 2 pkt 1"),
        ("punkt", "Załącznik nr 1 § 2 pkt 2"),
        ("zalacznik", "Załącznik nr 2"),
        ("ustep", "Załącznik nr 2 ust. 1"),
    ]


def test_preamble_and_annex_texts():
    tree = parse_text(RESOLUTION)
    preamble, _p1, _p2, annex1, annex2 = tree.children
    assert preamble.text.startswith("UCHWAŁA NR XII/100/24 RADY GMINY PRZYKŁADOWO z dnia 20 listopada 2024 r.")
    assert preamble.text.endswith("i o wolontariacie uchwala się, co następuje:")
    assert annex1.title == "do uchwały nr XII/100/24 Rady Gminy Przykładowo z dnia 20 listopada 2024 r."
    assert annex1.children[0].text == "PROGRAM WSPÓŁPRACY NA 2025 ROK"
    assert annex2.title == "Formularz"


def test_single_annex_without_number():
    tree = parse_text("§ 1. Tekst.\nZałącznik do uchwały nr 5/24\nProgram\n§ 1. Cele.\n1) a;")
    assert citations("§ 1. Tekst.\nZałącznik do uchwały nr 5/24\nProgram\n§ 1. Cele.\n1) a;") == [
        "§ 1",
        "Załącznik",
        "Załącznik akapit 1",
        "Załącznik § 1",
        "Załącznik § 1 pkt 1",
    ]
    assert (tree.children[1].label, tree.children[1].title) == ("", "do uchwały nr 5/24")


def test_annex_with_top_level_pkt():
    assert citations("Załącznik nr 1\nWykaz zadań\n1) sport;\n2) kultura;\n3) zdrowie.")[-1] == "Załącznik nr 1 pkt 3"


# --- lines that look like units but are not ------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "w 2024 r. program będzie realizowany",  # a year is not a unit
        "2024 r. był rokiem współpracy",
        "1.5 mln zł na zadania",  # a decimal
        "2.1. Cel szczegółowy",  # multi-level numbering is plain text
        "art. 5a ust. 1 ustawy stosuje się",  # lower-case reference at the start of a wrapped line
        "§ 3 ust. 2 stosuje się odpowiednio",  # reference to a paragraph
        "Art. 5 ust. 4 ustawy",
        "rozdział 2 określa zasady",
        "Załączniki: formularz oferty",
        "– gospodarczego rozwoju gminy",  # a dash after a bare word is a wrapped sentence
        "(1) Nawias nie jest punktem",
        "Wstęp",
    ],
)
def test_sentences_are_not_units(line):
    tree = parse_text(f"§ 1. Rozwój społeczno\n{line}")
    assert [u.kind for u in walk(tree)] == ["paragraf"]
    assert tree.children[0].text == f"Rozwój społeczno {line}"


def test_unit_marker_inside_a_line_is_not_a_unit():
    assert kinds("§ 1. Formy to 1) finansowe, a) b) c) oraz – inne.") == ["paragraf"]


def test_tiret_after_a_colon_is_a_unit():
    assert kinds("§ 1. Formy:\n– finansowe,\n- pozafinansowe.") == ["paragraf", "tiret", "tiret"]


# --- how real acts vary (issue 13): each of these was misread before -------------------------------


@pytest.mark.parametrize("item", ["1)", "1/", "1."])
def test_points_written_with_bracket_slash_or_dot(item):
    second = item.replace("1", "2")
    text = f"§ 1. Komisja działa w składzie:\n{item} Jan Kowalski – przewodniczący;\n{second} Anna Nowak – członek."
    assert units(text) == [
        ("§ 1", "Komisja działa w składzie:"),
        ("§ 1 pkt 1", "Jan Kowalski – przewodniczący;"),
        ("§ 1 pkt 2", "Anna Nowak – członek."),
    ]


def test_dot_items_stay_ustepy_without_an_introducing_colon_or_when_they_hold_points():
    assert citations("§ 1.\n1. Pierwszy.\n2. Drugi.") == ["§ 1", "§ 1 ust. 1", "§ 1 ust. 2"]
    assert citations("§ 5. Formy współpracy:\n1. Finansowa:\n1) zlecanie zadań,\n2. Pozafinansowa.") == [
        "§ 5",
        "§ 5 ust. 1",
        "§ 5 ust. 1 pkt 1",
        "§ 5 ust. 2",
    ]


@pytest.mark.parametrize("mark", [")", "/", "."])
def test_letters_written_with_bracket_slash_or_dot(mark):
    text = f"§ 1. Formy:\n1) finansowe, w tym:\na{mark} zlecanie,\nb{mark} dotacje;\n2) pozafinansowe."
    assert units(text) == [
        ("§ 1", "Formy:"),
        ("§ 1 pkt 1", "finansowe, w tym:"),
        ("§ 1 pkt 1 lit. a", "zlecanie,"),
        ("§ 1 pkt 1 lit. b", "dotacje;"),
        ("§ 1 pkt 2", "pozafinansowe."),
    ]


def test_a_dot_letter_needs_a_list_to_stand_in():
    # "r. poz. 5" and "o. …" at the start of a wrapped line are not letters
    text = "§ 1. Ustawa z dnia 1 lutego 2024\nr. poz. 5 stosuje się;\n1) tekst, w tym\no. Cisterscy."
    assert units(text) == [
        ("§ 1", "Ustawa z dnia 1 lutego 2024 r. poz. 5 stosuje się;"),
        ("§ 1 pkt 1", "tekst, w tym o. Cisterscy."),
    ]


@pytest.mark.parametrize("header", ["§ 1. 1.", "§ 1.1.", "§1.1."])
def test_paragraph_and_its_first_ust_on_one_line(header):
    text = f"{header} Zwiększa się plan dochodów.\n2.Zmniejsza się plan wydatków.\n§2.Zarządzenie wchodzi w życie."
    assert units(text) == [
        ("§ 1", ""),
        ("§ 1 ust. 1", "Zwiększa się plan dochodów."),
        ("§ 1 ust. 2", "Zmniejsza się plan wydatków."),
        ("§ 2", "Zarządzenie wchodzi w życie."),
    ]


def test_budget_classification_is_not_a_unit():
    text = """§ 1. 1. Zwiększa się plan dochodów o kwotę 40,00 zł
w dz. 852 rozdz. 85278 § 2010 o kwotę 40,00 zł
dz. 852 - Pomoc społeczna
rozdz. 85278 - Usuwanie skutków klęsk żywiołowych
paragraf 2010 - Dotacja celowa 40,00 zł
§ 2010 – Dotacja celowa otrzymana z budżetu państwa 40,00 zł
§ 4300 Zakup usług pozostałych 10,00 zł
§ 2010
§ 950 - Wolne środki
2. Zmniejsza się plan wydatków."""
    tree = parse_text(text)
    assert [unit.citation for unit in walk(tree)] == ["§ 1", "§ 1 ust. 1", "§ 1 ust. 2"]
    assert (
        tree.children[0]
        .children[0]
        .text.endswith("§ 4300 Zakup usług pozostałych 10,00 zł § 2010 § 950 - Wolne środki")
    )


SIGNED = """§ 2. Zarządzenie wchodzi w życie z dniem podpisania.
{signature}
Załącznik nr 1
Do Zarządzenia Burmistrza Brzegu
Nr 5/2024
Z dnia 2 stycznia 2024 r.
WYKAZ NIERUCHOMOŚCI
1. Oznaczenie nieruchomości: działka nr 5.
Brzeg, dnia 2.01.2024 r.
Burmistrz
(-) Jan Kowalski
Uzasadnienie
Zmiany wprowadza się na podstawie:
1) zawiadomienia Wojewody,
a) w dz. 852 rozdz. 85278 paragraf 2010.
"""


@pytest.mark.parametrize(
    ("signature", "office", "name"),
    [
        ("Burmistrz Brzegu\nJan Kowalski", "Burmistrz Brzegu", "Jan Kowalski"),
        ("BURMISTRZ\n(-) Violetta Jaskólska - Palus", "BURMISTRZ", "(-) Violetta Jaskólska - Palus"),
        ("Przewodniczący Rady Miejskiej\n\nPodpisany", "Przewodniczący Rady Miejskiej", "Podpisany"),
        ("Wójt Gminy Ostróda\n\nGustaw Marek Brzezin\n", "Wójt Gminy Ostróda", "Gustaw Marek Brzezin"),
    ],
)
def test_signature_wykaz_and_uzasadnienie_are_not_units_of_the_body(signature, office, name):
    tree = parse_text(SIGNED.format(signature=signature))
    assert [(unit.citation, unit.kind) for unit in walk(tree)] == [
        ("§ 2", "paragraf"),
        ("Podpis", "podpis"),
        ("Załącznik nr 1", "zalacznik"),
        ("Załącznik nr 1 akapit 1", "text"),
        ("Załącznik nr 1 ust. 1", "ustep"),
        ("Załącznik nr 1 Podpis", "podpis"),
        ("Uzasadnienie", "uzasadnienie"),
    ]
    paragraph, signed, annex, justification = tree.children
    assert paragraph.text == "Zarządzenie wchodzi w życie z dniem podpisania."
    assert (signed.title, signed.text) == (office, name)
    assert annex.title == "Do Zarządzenia Burmistrza Brzegu Nr 5/2024 Z dnia 2 stycznia 2024 r."
    assert annex.children[1].text == "Oznaczenie nieruchomości: działka nr 5."
    assert (annex.children[2].title, annex.children[2].text) == (
        "Brzeg, dnia 2.01.2024 r. Burmistrz",
        "(-) Jan Kowalski",
    )
    assert justification.text == (
        "Zmiany wprowadza się na podstawie: 1) zawiadomienia Wojewody, a) w dz. 852 rozdz. 85278 paragraf 2010."
    )
    assert parse_text(render_text(tree)) == tree


def test_text_after_a_signature_is_trailing_text():
    text = "§ 3. Zarządzenie wchodzi w życie.\nWójt Gminy\nJan Kowalski\n\nSporządził: Anna Nowak\n1. data publikacji"
    assert [(unit.citation, unit.kind, unit.text) for unit in walk(parse_text(text))] == [
        ("§ 3", "paragraf", "Zarządzenie wchodzi w życie."),
        ("Podpis", "podpis", "Jan Kowalski"),
        ("akapit 1", "text", "Sporządził: Anna Nowak 1. data publikacji"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Burmistrz Brzegu",  # an office word with no name after it
        "Burmistrzowi Brzegu",
        "Jan Kowalski",
    ],
)
def test_a_signature_needs_an_office_and_a_name(line):
    text = f"§ 1. Wykonanie powierza się\n{line}\noraz Skarbnikowi.\n§ 2. Koniec."
    assert citations(text) == ["§ 1", "§ 2"]


def test_footer_rule_and_e_signature_stamp_are_dropped():
    text = (
        "§ 1. 1. Zwiększa się plan\n"
        "––––––––––––––––––––––––––––––––––––\n"
        "Id: C64BF697-615B-40C4-8A2D-C0A96B6AD84B. Podpisany Strona 1\n"
        "dochodów.\n2. Zmniejsza się plan wydatków.\n"
        "________________________________\n"
    )
    assert units(text) == [
        ("§ 1", ""),
        ("§ 1 ust. 1", "Zwiększa się plan dochodów."),
        ("§ 1 ust. 2", "Zmniejsza się plan wydatków."),
    ]


def test_a_dash_line_before_any_unit_is_preamble():
    assert units("• 13 styczeń 2023 14:02\nZarządzenie Nr 1/2023\n§ 1. Tekst.") == [
        ("Preambuła", "• 13 styczeń 2023 14:02 Zarządzenie Nr 1/2023"),
        ("§ 1", "Tekst."),
    ]


# --- PDF repairs -------------------------------------------------------------------------


def test_hyphenation_at_line_end_is_joined():
    assert units("§ 1. Program współpracy z organi-\nzacjami pozarządowymi.") == [
        ("§ 1", "Program współpracy z organizacjami pozarządowymi.")
    ]


def test_real_hyphens_are_kept():
    text = "§ 1. Rozwój społeczno-gospodarczy Gminy Czerwionka-\nLeszczyny."
    assert units(text) == [("§ 1", "Rozwój społeczno-gospodarczy Gminy Czerwionka-Leszczyny.")]


def test_hyphenation_across_a_page_break():
    text = "§ 1. Program dla organi-\nStrona 1 z 3\n\nzacji pozarządowych."
    assert units(text) == [("§ 1", "Program dla organizacji pozarządowych.")]


@pytest.mark.parametrize(
    "footer",
    [
        "Strona 1 z 3",
        "Strona 2",
        "str. 4",
        "- 2 -",
        "7",
        "1/3",
        # the e-signature stamp of the legislative editor, as in Uchwała Nr LXVI/478/2014 Rady Miejskiej w Żywcu
        "Id: 4A207E30-AE24-45A0-93F6-151EE77E33E0. Podpisany",
        "Id: 4A207E30-AE24-45A0-93F6-151EE77E33E0. Podpisany Strona 1",
        # as garbled in a transcript of Uchwała Nr 124/XXII/2016 Rady Gminy Piątnica
        "Id: AD6ED1A E72-93BC-ACA0EB319AF6. Podpisany Strona 1",
        "Dziennik Urzędowy Województwa Opolskiego – 3 – Poz. 3456",
        "(2)",  # page marker of 9lib transcripts, as in the Gorzów Wlkp. fixture
    ],
)
def test_page_footers_are_dropped(footer):
    text = f"§ 1. Program określa\n{footer}\nformy współpracy.\n§ 2. Koniec."
    assert units(text) == [("§ 1", "Program określa formy współpracy."), ("§ 2", "Koniec.")]


def test_signature_stamp_glued_to_text_is_dropped():
    text = "§ 5. Uchwała wchodzi w życie. Przewodniczący Rady Jan Kowalski Id: AD6ED1A E72-93BC-ACA0EB319AF6. Podpisany Strona 1"
    assert units(text) == [("§ 5", "Uchwała wchodzi w życie. Przewodniczący Rady Jan Kowalski")]


def test_running_headers_repeated_at_page_breaks_are_dropped():
    header = "Program współpracy Gminy Przykładowo na rok 2025"
    text = (
        f"{header}\n§ 1. Pierwszy\nparagraf.\nStrona 1 z 3\n\f{header}\n§ 2. Drugi.\n"
        f"Strona 2 z 3\n\f{header}\n§ 3. Trzeci.\nStrona 3 z 3"
    )
    assert units(text) == [("§ 1", "Pierwszy paragraf."), ("§ 2", "Drugi."), ("§ 3", "Trzeci.")]


def test_a_line_repeated_at_a_single_page_break_is_kept():
    text = "§ 1. Program współpracy na 2025 rok\nStrona 1 z 2\nProgram współpracy na 2025 rok\n§ 2. Koniec."
    assert units(text)[0] == ("§ 1", "Program współpracy na 2025 rok Program współpracy na 2025 rok")


def test_repeated_line_away_from_page_breaks_is_kept():
    text = "§ 1. Tekst:\n1) Bez zmian.\n2) Bez zmian.\n3) Bez zmian."
    assert [u.text for u in walk(parse_text(text))][1:] == ["Bez zmian."] * 3


def test_invisible_characters_and_odd_spaces():
    text = "§\u00a01.\u00a0Pro\u00adgram\u200b  współpracy\t z\r\norganizacjami."
    assert units(text) == [("§ 1", "Program współpracy z organizacjami.")]


def test_repair_keeps_blank_lines_and_unit_lines():
    assert repair_text("§ 1. A\n\n1) b\nStrona 1 z 2\n") == "§ 1. A\n\n1) b"


# --- rendering, json --------------------------------------------------------------------


def test_render_text_is_canonical_and_parses_back():
    tree = parse_text(RESOLUTION)
    rendered = render_text(tree)
    assert rendered.splitlines()[1:4] == ["§ 1. Przyjmuje się Program stanowiący załącznik nr 1 do uchwały.",
                                          "§ 2. Uchwała wchodzi w życie z dniem 1 stycznia 2025 r.",
                                          "Załącznik nr 1 do uchwały nr XII/100/24 Rady Gminy Przykładowo z dnia 20 listopada 2024 r."]  # fmt: skip
    assert parse_text(rendered) == tree


def test_cite_fills_citations_of_a_built_tree():
    tree = Unit(
        "document", children=[Unit("paragraf", "1", children=[Unit("ustep", "2", children=[Unit("tiret", text="x")])])]
    )
    cite(tree)
    assert [u.citation for u in walk(tree)] == ["§ 1", "§ 1 ust. 2", "§ 1 ust. 2 tiret 1"]


def test_to_json_is_flat_preorder_with_depth():
    assert to_json(parse_text("Rozdział 1\nCele\n§ 1. A:\n1) b.")) == [
        {"citation": "Rozdział 1", "kind": "rozdzial", "label": "1", "title": "Cele", "text": "", "depth": 0},
        {"citation": "§ 1", "kind": "paragraf", "label": "1", "title": "", "text": "A:", "depth": 1},
        {"citation": "§ 1 pkt 1", "kind": "punkt", "label": "1", "title": "", "text": "b.", "depth": 2},
    ]


def test_empty_text_gives_an_empty_document():
    tree = parse_text("  \n\nStrona 1 z 1\n")
    assert (tree.kind, tree.children) == ("document", [])


# --- files ------------------------------------------------------------------------------


def test_txt_utf8_and_cp1250():
    text = "§ 1. Zażółć gęślą jaźń."
    assert extract_text("projekt.txt", text.encode("utf-8")) == text
    assert extract_text("PROJEKT.TXT", text.encode("cp1250")) == text
    assert extract_text("bom.txt", "\ufeff".encode() + text.encode("utf-8")) == text


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("projekt.pdf", b"%PDF-1.4"),
        ("projekt", b"text"),
        ("projekt.doc", b"\xd0\xcf\x11\xe0"),
        ("projekt.txt", b"\x00\x01binary"),
        ("projekt.txt", b"\x81\x98"),  # bytes undefined in both UTF-8 and cp1250
        ("projekt.txt", b"   \n"),
        ("projekt.docx", b"not a zip"),
        ("projekt.odt", b"not a zip"),
    ],
)
def test_bad_files_raise_a_user_facing_error(filename, content):
    with pytest.raises(DraftFileError) as excinfo:
        extract_text(filename, content)
    assert str(excinfo.value)  # a readable message, not an internal exception text


def test_docx_zip_without_document_is_rejected():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "x")
    with pytest.raises(DraftFileError):
        extract_text("projekt.docx", buffer.getvalue())


def _docx_with_numbering(lines: list[tuple[str, int | None]]) -> bytes:
    """A .docx whose (text, level) paragraphs use Word auto-numbering: "1)" then "a)"."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="§ %1."/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))
    for text, level in lines:
        paragraph = document.add_paragraph(text)
        if level is not None:
            num_id, ilvl = ("91", 0) if level < 0 else ("90", level)
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_auto_numbering_becomes_literal_text():
    content = _docx_with_numbering(
        [
            ("Na podstawie art. 5a ustawy uchwala się, co następuje:", None),
            ("Program określa formy:", -1),
            ("finansowe,", 0),
            ("pozafinansowe:", 0),
            ("konsultacje,", 1),
            ("zespoły:", 1),
            ("doradcze,", 2),
            ("inne.", 0),
            ("Uchwała wchodzi w życie.", -1),
        ]
    )
    assert extract_text("projekt.docx", content).splitlines() == [
        "Na podstawie art. 5a ustawy uchwala się, co następuje:",
        "§ 1. Program określa formy:",
        "1) finansowe,",
        "2) pozafinansowe:",
        "a) konsultacje,",
        "b) zespoły:",
        "– doradcze,",
        "3) inne.",
        "§ 2. Uchwała wchodzi w życie.",
    ]
    assert [u.citation for u in walk(parse_file("projekt.docx", content))] == [
        "Preambuła", "§ 1", "§ 1 pkt 1", "§ 1 pkt 2", "§ 1 pkt 2 lit. a", "§ 1 pkt 2 lit. b",
        "§ 1 pkt 2 lit. b tiret 1", "§ 1 pkt 3", "§ 2",
    ]  # fmt: skip


def _act_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _act_odt(text: str, numbered: list[str] | None = None) -> bytes:
    """An .odt with one paragraph per line, then an auto-numbered list "1)" of `numbered` items."""
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties
    from odf.text import List, ListItem, ListLevelStyleNumber, ListStyle, P

    document = OpenDocumentText()
    list_style = ListStyle(name="Pkt")
    level = ListLevelStyleNumber(level=1, numformat="1", numsuffix=")")
    level.addElement(ListLevelProperties())
    list_style.addElement(level)
    document.automaticstyles.addElement(list_style)
    for line in text.splitlines():
        document.text.addElement(P(text=line))
    if numbered:
        items = List(stylename="Pkt")
        for item_text in numbered:
            item = ListItem()
            item.addElement(P(text=item_text))
            items.addElement(item)
        document.text.addElement(items)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def test_docx_and_odt_of_a_real_act_parse_like_its_text():
    text = (ACTS / "powiat_swidwinski_2022.txt").read_text(encoding="utf-8")
    expected = to_json(parse_text(text))
    assert to_json(parse_file("uchwala.docx", _act_docx(text))) == expected
    assert to_json(parse_file("uchwala.odt", _act_odt(text))) == expected


def test_odt_list_numbering_becomes_literal_text():
    content = _act_odt("§ 1. Formy współpracy:", numbered=["finansowe,", "pozafinansowe."])
    assert extract_text("projekt.odt", content).splitlines() == [
        "§ 1. Formy współpracy:",
        "1) finansowe,",
        "2) pozafinansowe.",
    ]


# --- real acts through the management command -----------------------------------------------


def run_parse_draft(path: Path | str) -> list[dict]:
    out = io.StringIO()
    call_command("parse_draft", str(path), stdout=out)
    return json.loads(out.getvalue())


def provenance(act: Path) -> str:
    """The provenance of a fixture: its own .source.md, or its row in the folder's README.md."""
    if act.with_suffix(".source.md").exists():
        return act.with_suffix(".source.md").read_text(encoding="utf-8")
    rows = [line for line in (ACTS / "README.md").read_text(encoding="utf-8").splitlines() if act.name in line]
    assert len(rows) == 1, act.name
    return rows[0]


def test_every_real_act_has_its_source_recorded():
    acts = sorted(ACTS.glob("*.txt"))
    assert len(acts) >= 3
    for act in acts:
        source = provenance(act)
        if act.with_suffix(".source.md").exists():
            assert "http" in source and "How obtained" in source
        else:
            assert "http" in source or "github.com" in source, act.name


def test_real_act_powiat_swidwinski():
    result = run_parse_draft(ACTS / "powiat_swidwinski_2022.txt")
    assert [u["citation"] for u in result if u["depth"] == 0] == ["Preambuła", "§ 1", "§ 2"]
    by_citation = {u["citation"]: u for u in result}
    # "§2. Ilekroć … jest mowa o :" introduces an enumeration: its "1." … "7." are points
    assert [u["citation"] for u in result if u["depth"] == 1] == [f"§ 2 pkt {n}" for n in range(1, 8)]
    assert by_citation["Preambuła"]["text"].startswith(
        "UCHWAŁA Nr XXXII/154/21 RADY POWIATU ŚWIDWIŃSKIEGO z dnia 28 października 2021 r."
    )
    assert by_citation["Preambuła"]["text"].endswith(
        "(t.j. Dz.U. z 2020 r. poz. 1057 ze zm.), uchwala się, co następuje:"
    )
    # § 1 was wrapped after "organizacjami" in the source
    assert by_citation["§ 1"]["text"].startswith(
        "Uchwala się „Program współpracy Powiatu Świdwińskiego z organizacjami pozarządowymi oraz"
    )
    assert by_citation["§ 2"]["text"].endswith("zwanym dalej Programem jest mowa o :")
    assert by_citation["§ 2 pkt 5"]["text"].startswith(
        "ustawie – należy przez to rozumieć ustawę z dnia 24 kwietnia 2003 r."
    )
    assert (
        by_citation["§ 2 pkt 7"]["text"]
        == "konkursie – należy przez to rozumieć otwarty konkurs ofert, zgodnie z art. 11 ustawy"
    )


def test_real_act_gmina_chorzele():
    result = run_parse_draft(ACTS / "gmina_chorzele_2023.txt")
    assert [(u["citation"], u["depth"]) for u in result] == [("Preambuła", 0), ("§ 1", 0), ("§ 2", 0), ("§ 3", 0)]
    by_citation = {u["citation"]: u for u in result}
    assert by_citation["Preambuła"]["text"].endswith("Rada Miejska w Chorzelach uchwala co następuje:")
    assert by_citation["§ 1"]["text"].startswith(
        "Uchwala się program współpracy Gminy Chorzele z organizacjami pozarządowymi"
    )
    assert by_citation["§ 2"]["text"] == "Wykonanie uchwały powierza się Burmistrzowi Miasta i Gminy Chorzele."
    assert (
        by_citation["§ 3"]["text"]
        == "Uchwała wchodzi w życie z dniem podjęcia, z mocą obowiązującą od 1 stycznia 2023 roku."
    )


def test_real_act_gmina_kobylnica():
    result = run_parse_draft(ACTS / "gmina_kobylnica_2023.txt")
    assert [u["citation"] for u in result] == ["Preambuła", "§ 1", "§ 2", "§ 3"]
    by_citation = {u["citation"]: u for u in result}
    # "art. 5a ust. 1 i 4" etc. inside the preamble are references, not units
    assert by_citation["Preambuła"]["text"].startswith(
        "Uchwała nr LV/501/2022 Rady Gminy Kobylnica w sprawie przyjęcia rocznego"
    )
    assert by_citation["Preambuła"]["text"].endswith("Rada Gminy Kobylnica uchwala, co następuje:")
    assert by_citation["§ 1"]["text"].startswith("Uchwala się roczny „Program Współpracy Gminy Kobylnica")
    assert by_citation["§ 2"]["text"] == "Wykonanie uchwały powierza się Wójtowi Gminy Kobylnica."


def test_real_act_gmina_czerwionka_leszczyny_annex():
    result = run_parse_draft(ACTS / "gmina_czerwionka_leszczyny_2016.txt")
    assert [u["citation"] for u in result] == ["Załącznik", "Załącznik akapit 1"] + [
        f"Załącznik ust. {n}" for n in range(1, 8)
    ]
    annex, intro = result[0], result[1]
    assert (
        annex["title"] == "do Uchwały XII/168/15 Rady Miejskiej w Czerwionce-Leszczynach z dnia 23 października 2015 r."
    )
    assert intro["text"].startswith("ROCZNY PROGRAM WSPÓŁPRACY GMINY I MIASTA CZERWIONKA-LESZCZYNY Z ORGANIZACJAMI")
    assert intro["text"].endswith("poprzez realizację następujących celów szczegółowych, którymi są:")
    by_citation = {u["citation"]: u for u in result}
    # ust. 1 spans three lines of the PDF
    assert by_citation["Załącznik ust. 1"]["text"] == (
        "Integracja i wzrost poziomu aktywności, świadomości społecznej, przedsiębiorczej i obywatelskiej "
        "wśród mieszkańców, ze szczególnym uwzględnieniem ludzi młodych, budowanie poczucia "
        "odpowiedzialności za wspólnotę lokalną i regionalną."
    )
    assert by_citation["Załącznik ust. 6"]["text"].endswith(
        "w stanie realizować niektórych zadań publicznych przez własne struktury."
    )


def test_real_act_miasto_gorzow_wlkp_annex_excerpt():
    """A 9lib transcript of the PDF: page markers "(1)", "(2)", a blank line after every line."""
    result = run_parse_draft(ACTS / "miasto_gorzow_wlkp_2015_excerpt.txt")
    assert [u["citation"] for u in result if u["depth"] == 0] == ["Załącznik"]  # "(1)" is no preamble
    assert [u["citation"] for u in result if u["kind"] != "text"] == [
        "Załącznik",
        "Załącznik Rozdział 1",
        "Załącznik § 1",
        *[f"Załącznik § 1 pkt {n}" for n in range(1, 5)],
        "Załącznik § 2",
        "Załącznik Rozdział 2",
        "Załącznik § 3",
        "Załącznik § 4",
    ]
    by_citation = {u["citation"]: u for u in result}
    assert by_citation["Załącznik"]["title"] == "do Uchwały Nr LXXVI/845/2014"
    # known limit: annex header lines separated by blank lines become free-text paragraphs
    assert [u["text"] for u in result if u["kind"] == "text"] == [
        "Rady Miasta Gorzowa Wlkp.",
        "z dnia 12 listopada 2014r.",
        "Program Współpracy Miasta Gorzowa Wlkp.",
        "z organizacjami pozarządowymi",
        "i innymi podmiotami",
        "na rok 2015",  # the page marker "(2)" after it is dropped
    ]
    assert (by_citation["Załącznik Rozdział 1"]["title"], by_citation["Załącznik Rozdział 2"]["title"]) == (
        "Postanowienia ogólne",
        "Cele Programu oraz zasady współpracy",
    )
    assert by_citation["Załącznik § 1"]["text"].startswith("Ilekroć w niniejszym „Programie Współpracy Miasta")
    assert by_citation["Załącznik § 1"]["text"].endswith("zwanym dalej „Programem”, jest mowa o:")
    assert by_citation["Załącznik § 1 pkt 1"]["text"] == "Mieście – należy przez to rozumieć Miasto Gorzów Wlkp.,"
    assert by_citation["Załącznik § 1 pkt 4"]["text"].startswith("organizacjach pozarządowych – należy przez to")
    assert by_citation["Załącznik § 1 pkt 4"]["text"].endswith("o których mowa w art. 3 ust. 3 ustawy.")
    assert by_citation["Załącznik § 2"]["text"].endswith(
        "samorząd pragnie włączać podmioty III sektora w system demokracji lokalnej."
    )
    assert by_citation["Załącznik § 3"]["text"].startswith("Celem głównym Programu jest budowanie partnerstwa")
    assert by_citation["Załącznik § 4"]["text"] == "Cele szczegółowe Programu:"


def test_fixtures_say_whether_they_are_complete():
    """Each fixture's provenance says plainly whether it is the complete act or an excerpt."""
    for act in sorted(ACTS.glob("*.txt")):
        source = provenance(act)
        assert "Status: EXCERPT" in source or "Status: COMPLETE" in source, act.name
    # the programmes of cooperation are excerpts, also in the folder's README
    readme = (ACTS / "README.md").read_text(encoding="utf-8")
    for act in sorted(ACTS.glob("*.source.md")):
        assert "Status: EXCERPT" in act.read_text(encoding="utf-8"), act.name
        assert any(act.name.removesuffix(".source.md") in line and "EXCERPT" in line for line in readme.splitlines())


@pytest.mark.parametrize("act", sorted(ACTS.glob("*.txt")), ids=lambda path: path.stem)
def test_real_acts_lose_no_words_and_round_trip(act):
    import re

    text = act.read_text(encoding="utf-8")
    tree = parse_text(text)
    words = lambda s: sorted(w.casefold() for w in re.findall(r"\w+", s))  # noqa: E731
    assert words(render_text(tree)) == words(repair_text(text))
    assert parse_text(render_text(tree)) == tree


def test_parse_draft_reads_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("§ 1. Tekst.\n1) punkt.".encode())))
    assert [u["citation"] for u in run_parse_draft("-")] == ["§ 1", "§ 1 pkt 1"]


def test_parse_draft_output_is_utf8_json_not_ascii_escaped():
    out = io.StringIO()
    call_command("parse_draft", str(ACTS / "gmina_kobylnica_2023.txt"), stdout=out)
    assert "Współpracy" in out.getvalue() and "\\u" not in out.getvalue()
    assert out.getvalue().startswith('[\n  {\n    "citation": "Preambuła"')


def test_parse_draft_bad_file_is_a_command_error(tmp_path):
    from django.utils import translation

    bad = tmp_path / "projekt.pdf"
    bad.write_bytes(b"%PDF-1.4")
    # the message is translatable: commands run in the active language (Polish by default)
    with translation.override("en"), pytest.raises(CommandError, match="Unsupported file type"):
        call_command("parse_draft", str(bad), stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("parse_draft", str(tmp_path / "missing.txt"), stdout=io.StringIO())
