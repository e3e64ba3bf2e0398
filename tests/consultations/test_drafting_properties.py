"""Property-based tests of the draft parser (hypothesis).

Well-formed trees are generated from the grammar of Polish acts; their canonical
rendering must parse back to the same tree, also after being damaged the way a
PDF copy damages text (wrapped lines, hyphenation, page footers).  Arbitrary
line soup must parse idempotently, with unique citations and without losing words.
"""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ngo_platform.core.drafting import Unit, cite, parse_text, render_text, repair_text, walk

# Words that can never start a unit or look like page furniture.
WORDS = [
    "program",
    "współpracy",
    "organizacjami",
    "pozarządowymi",
    "gmina",
    "powiat",
    "realizacja",
    "zadań",
    "publicznych",
    "konkurs",
    "ofert",
    "dotacja",
    "sport",
    "kultura",
    "zdrowie",
    "wolontariat",
    "mieszkańców",
    "ustawy",
    "cele",
    "formy",
    "zasady",
    "priorytetowe",
    "społeczności",
    "lokalnej",
    "wspieranie",
    "powierzanie",
    "informacji",
    "konsultacje",
    "zespołów",
    "Rada",
    "Wójt",
    "Burmistrz",
    "Program",
    "Organizacje",
    "Celem",
    "Współpraca",
    "Gmina",
]
END_PUNCTUATION = (".", ";", ":", ",")


def words(min_size: int = 1, max_size: int = 8):
    return st.lists(st.sampled_from(WORDS), min_size=min_size, max_size=max_size).map(" ".join)


def sentences(ends=END_PUNCTUATION):
    """Unit text: words ending with a clause mark, as in real acts (a tiret may follow it)."""
    return st.tuples(words(), st.sampled_from(ends)).map("".join)


def numbers(count: int, draw) -> list[str]:
    start = draw(st.integers(min_value=1, max_value=3))
    return [f"{start + i}{draw(st.sampled_from(['', '', '', 'a']))}" for i in range(count)]


def letters(count: int) -> list[str]:
    return [chr(ord("a") + i) for i in range(count)]


@st.composite
def tirets(draw, max_size=3):
    return [Unit("tiret", text=draw(sentences())) for _ in range(draw(st.integers(0, max_size)))]


@st.composite
def litery(draw):
    count = draw(st.integers(1, 3))
    return [Unit("litera", label, text=draw(sentences()), children=draw(tirets(2))) for label in letters(count)]


@st.composite
def punkty(draw):
    result = []
    for label in numbers(draw(st.integers(1, 3)), draw):
        children = draw(st.one_of(st.just([]), litery(), tirets()))
        result.append(Unit("punkt", label, text=draw(st.one_of(st.just(""), sentences())), children=children))
    return result


@st.composite
def ustepy(draw):
    result = []
    for label in numbers(draw(st.integers(1, 3)), draw):
        children = draw(st.one_of(st.just([]), punkty(), tirets()))
        result.append(Unit("ustep", label, text=draw(sentences()), children=children))
    return result


@st.composite
def basic_units(draw, kind: str, labels: list[str]):
    result = []
    for label in labels:
        children = draw(st.one_of(st.just([]), ustepy(), punkty()))
        if children and children[0].kind == "ustep":
            # a text ending with a colon would introduce points: "§ 1. Komisja w składzie:" / "1. Jan Kowalski;"
            text = draw(st.one_of(st.just(""), sentences(ends=(".", ";", ","))))
        else:
            text = draw(st.one_of(st.just(""), sentences())) if children else draw(sentences())
        result.append(Unit(kind, label, text=text, children=children))
    return result


def roman_or_arabic(number: int, roman: bool) -> str:
    return ["I", "II", "III", "IV", "V", "VI"][number - 1] if roman else str(number)


@st.composite
def free_texts(draw, title: str):
    """Free text paragraphs under a heading; only after a title (else the first would be the title)."""
    if not title:
        return []
    return [Unit("text", text=draw(sentences())) for _ in range(draw(st.integers(0, 2)))]


@st.composite
def chapters(draw, basic_kind: str, counter: list[int]):
    roman = draw(st.booleans())
    result = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        title = draw(st.one_of(st.just(""), words(1, 5)))
        count = draw(st.integers(0, 3))
        labels = [str(counter[0] + i) for i in range(count)]  # § numbered through the act
        counter[0] += count
        body = draw(st.one_of(basic_units(basic_kind, labels), ustepy())) if count else []
        children = draw(free_texts(title)) + body
        result.append(Unit("rozdzial", roman_or_arabic(number, roman), title=title, children=children))
    return result


@st.composite
def bodies(draw):
    basic_kind = draw(st.sampled_from(["paragraf", "artykul"]))
    counter = [1]
    shape = draw(st.sampled_from(["flat", "chapters", "dzialy"]))
    if shape == "flat":
        return draw(basic_units(basic_kind, [str(i) for i in range(1, draw(st.integers(1, 4)) + 1)]))
    if shape == "chapters":
        return draw(chapters(basic_kind, counter))
    result = []
    for number in range(1, draw(st.integers(1, 2)) + 1):
        title = draw(words(1, 4))
        result.append(
            Unit("dzial", roman_or_arabic(number, True), title=title, children=draw(chapters(basic_kind, counter)))
        )
    return result


@st.composite
def annexes(draw):
    count = draw(st.integers(0, 2))
    result = []
    for number in range(1, count + 1):
        label = "" if count == 1 and draw(st.booleans()) else str(number)
        title = draw(st.one_of(st.just(""), words(1, 6)))
        body = draw(st.one_of(bodies(), ustepy(), punkty()))
        result.append(Unit("zalacznik", label, title=title, children=draw(free_texts(title)) + body))
    return result


@st.composite
def documents(draw):
    children = []
    if draw(st.booleans()):
        children.append(Unit("preamble", text=draw(sentences())))
    children += draw(bodies()) + draw(annexes())
    return cite(Unit("document", children=children))


def word_list(text: str) -> list[str]:
    return sorted(word.casefold() for word in re.findall(r"\w+", text))


PROPERTY_SETTINGS = settings(deadline=None, max_examples=150)


@PROPERTY_SETTINGS
@given(documents())
def test_parsing_the_rendering_of_a_tree_gives_the_tree_back(tree):
    assert parse_text(render_text(tree)) == tree


@PROPERTY_SETTINGS
@given(documents())
def test_citations_are_unique_within_a_document(tree):
    all_citations = [unit.citation for unit in walk(tree)]
    assert len(all_citations) == len(set(all_citations))
    assert all(all_citations)


@st.composite
def pdf_damaged(draw):
    """A tree as a PDF copy shows it: unit text wrapped over lines, words hyphenated, page footers."""
    tree = draw(documents())
    out: list[str] = []
    pages = [1]

    def wrapped(first: str, text: str) -> None:
        current = first
        for word in text.split(" "):
            if current and current != first and draw(st.integers(0, 3)) == 0:  # a header keeps its first word
                if len(word) >= 6 and draw(st.booleans()):
                    cut = draw(st.integers(2, len(word) - 3))
                    out.append(f"{current} {word[:cut]}-")  # "organi-" / "zacji"
                    word = word[cut:]
                    if draw(st.booleans()):
                        # a page break inside the word: footer, blank line, form feed
                        out.extend([f"Strona {pages[0]} z 9", "", "\f"])
                        pages[0] += 1
                else:
                    out.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        out.append(current)

    for unit in walk(tree):
        bare = Unit(unit.kind, unit.label, title=unit.title)
        bare_lines = render_text(Unit("document", children=[bare])).rstrip("\n").split("\n")
        if unit.kind in ("zalacznik", "dzial", "rozdzial", "oddzial"):
            out.extend(bare_lines)  # headings and titles are not wrapped
        elif unit.kind in ("preamble", "text"):
            if unit.kind == "text":
                out.append("")
            wrapped("", unit.text)
        elif unit.text:
            wrapped(bare_lines[0].strip(), unit.text)
        else:
            out.append(bare_lines[0])
    return tree, "\n".join(out)


@PROPERTY_SETTINGS
@given(pdf_damaged())
def test_pdf_damage_is_repaired_back_to_the_same_tree(example):
    tree, damaged = example
    assert parse_text(damaged) == tree


# Arbitrary "line soup": unit headers of every kind and variant, plain lines, look-alikes,
# blank lines and page furniture, in any order.
HEADER_LINES = st.sampled_from(
    [
        "§ 1.", "§2.", "§ 3", "§ 4. Tekst paragrafu.", "Art. 1.", "Art. 2a. Tekst.", "1.", "2. Ustęp:",
        "1) punkt;", "2)", "a) litera,", "b)", "– tiret;", "- tiret,", "Rozdział I", "Rozdział 2. Cele",
        "ROZDZIAŁ III – Formy", "Dział I", "Oddział 1", "Załącznik nr 1", "Załącznik do uchwały nr 5",
        "Załącznik nr 2 Formularz", "Rozdział 3 1. dziwny tytuł", "Załącznik\u00a0nr 3",
        "§ 1. 1. Tekst.", "§2.Tekst", "§ 3.1.Tekst", "1/ punkt;", "a/ litera,", "a. litera;", "b. litera.",
        "2.Ustęp", "Uzasadnienie", "Burmistrz", "Wójt Gminy Przykładowo", "Brzeg, dnia 1.02.2024 r.",
    ]
)  # fmt: skip
PLAIN_LINES = st.one_of(
    words(1, 6),
    sentences(),
    st.sampled_from(
        [
            "w 2024 r. program", "§ 3 ust. 2 stosuje się", "art. 5a ust. 1", "– gospodarczy", "organi-",
            "zacji pozarządowych", "Strona 1 z 3", "2", "Id: 4A207E30-AE24-45A0-93F6-151EE77E33E0. Podpisany",
            "nr 5 do uchwały", "2.1. Cel", "Wstęp", "", "(-) Jan Kowalski", "Jan Kowalski", "Podpisany",
            "§ 2010 – Dotacja celowa", "§ 4300 o kwotę 10,00 zł", "w dz. 852 rozdz. 85278", "––––––––",
            "Do Zarządzenia Wójta", "Z dnia 2 stycznia 2024 r.", "r. poz. 5",
        ]
    ),
)  # fmt: skip


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(HEADER_LINES, PLAIN_LINES), max_size=40).map("\n".join))
def test_parsing_is_idempotent_on_its_own_rendering(text):
    tree = parse_text(text)
    assert parse_text(render_text(tree)) == tree


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(HEADER_LINES, PLAIN_LINES), max_size=40).map("\n".join))
def test_no_text_is_lost_and_citations_stay_unique(text):
    tree = parse_text(text)
    assert word_list(render_text(tree)) == word_list(repair_text(text))
    all_citations = [unit.citation for unit in walk(tree)]
    assert len(all_citations) == len(set(all_citations))
