"""The draft as rows, and the officer's corrections (merge, split, relabel) before opening."""

import pytest

from ngo_platform.consultations import services
from ngo_platform.consultations.models import DraftUnit
from ngo_platform.consultations.services import ConsultationError
from ngo_platform.core.drafting import units as unitlib
from tests.consultations.factories import make_consultation, officer_of

pytestmark = pytest.mark.django_db


def rows(consultation):
    return [
        (u.position, u.depth, u.kind, u.label, u.citation, u.text)
        for u in DraftUnit.objects.filter(consultation=consultation).order_by("position")
    ]


def test_import_stores_a_flat_ordered_list_with_parents(opolskie):
    consultation = make_consultation(opolskie, state="draft")
    stored = list(DraftUnit.objects.filter(consultation=consultation).order_by("position"))
    assert [u.citation for u in stored] == [
        "Rozdział I",
        "§ 1",
        "§ 2",
        "§ 2 ust. 1",
        "§ 2 ust. 2",
        "Rozdział II",
        "§ 3",
    ]
    assert [u.depth for u in stored] == [0, 1, 1, 2, 2, 0, 1]
    assert stored[3].parent_id == stored[2].pk and stored[0].parent_id is None


def test_a_paragraph_read_as_a_heading_s_title_is_kept_whole_as_its_text(opolskie):
    """A chapter whose first line is a long paragraph: the parser takes it for the heading's title, longer than a
    heading can be; the import keeps it whole as the chapter's text instead of cutting it at 500 characters."""
    from ngo_platform.core.drafting import parse_text

    paragraph = "Program określa cele współpracy " + "z organizacjami pozarządowymi " * 30 + "na rok następny."
    consultation = make_consultation(opolskie, state="draft")
    root = parse_text(f"Rozdział 1\n{paragraph}\n§ 1. Program obowiązuje w roku następnym.")
    services.draft_import(actor=officer_of(opolskie), consultation=consultation, root=root, source="test")
    chapter = DraftUnit.objects.get(consultation=consultation, kind="rozdzial")
    assert len(paragraph) > 500 and chapter.title == ""
    assert chapter.text == paragraph
    assert DraftUnit.objects.get(consultation=consultation, kind="paragraf").text.startswith("Program obowiązuje")


def test_cite_formats():
    assert (
        unitlib.cite([("rozdzial", "I"), ("paragraf", "3"), ("ustep", "2"), ("punkt", "4"), ("litera", "a")])
        == "§ 3 ust. 2 pkt 4 lit. a"
    )
    assert unitlib.cite([("rozdzial", "II")]) == "Rozdział II"
    assert unitlib.cite([("zalacznik", "1"), ("paragraf", "2")]) == "Załącznik nr 1 § 2"


def test_a_signature_and_the_justification_are_cited_as_the_parser_cites_them():
    """A relabel recomputes citations with `cite`: the signature and the Uzasadnienie (kinds the parser gives
    real acts) must keep theirs, not lose them to an empty string."""
    from ngo_platform.core.drafting import parse_text

    root = parse_text(
        "Zarządzenie Nr 1\n§ 1. Wykonanie powierza się Sekretarzowi.\nBurmistrz\nJan Kowalski\n"
        "Załącznik nr 1\n§ 1. Wykaz.\nBurmistrz\nJan Kowalski\nUzasadnienie\nPowody zmian."
    )
    by_citation = {unit.citation: unit.kind for unit in _walk(root)}
    assert {"Podpis", "Załącznik nr 1 Podpis", "Uzasadnienie"} <= set(by_citation), by_citation
    assert unitlib.cite([("podpis", "")]) == "Podpis"
    assert unitlib.cite([("zalacznik", "1"), ("podpis", "")]) == "Załącznik nr 1 Podpis"
    assert unitlib.cite([("uzasadnienie", "")]) == "Uzasadnienie"


def _walk(unit):
    for child in unit.children:
        yield child
        yield from _walk(child)


def test_relabel_recomputes_the_citation_of_the_unit_and_its_descendants(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, state="draft")
    paragraph = DraftUnit.objects.get(consultation=consultation, citation="§ 2")
    services.unit_relabel(actor=officer, unit=paragraph, label="2a")
    assert [r[4] for r in rows(consultation)] == [
        "Rozdział I",
        "§ 1",
        "§ 2a",
        "§ 2a ust. 1",
        "§ 2a ust. 2",
        "Rozdział II",
        "§ 3",
    ]


def test_merge_with_previous_sibling_moves_text_and_children(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, state="draft")
    second = DraftUnit.objects.get(consultation=consultation, citation="§ 2")
    target = services.unit_merge_previous(actor=officer, unit=second)
    assert target.citation == "§ 1"
    assert [r[4] for r in rows(consultation)] == ["Rozdział I", "§ 1", "§ 1 ust. 1", "§ 1 ust. 2", "Rozdział II", "§ 3"]
    assert [r[0] for r in rows(consultation)] == [0, 1, 2, 3, 4, 5]


def test_merge_first_child_into_its_parent(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, state="draft")
    first = DraftUnit.objects.get(consultation=consultation, citation="§ 2 ust. 1")
    services.unit_merge_previous(actor=officer, unit=first)
    stored = rows(consultation)
    assert [r[4] for r in stored] == ["Rozdział I", "§ 1", "§ 2", "§ 2 ust. 2", "Rozdział II", "§ 3"]
    assert stored[2][5] == "Współpraca odbywa się na zasadach pomocniczości."


def test_merge_of_the_first_unit_is_refused(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, state="draft")
    with pytest.raises(ConsultationError):
        services.unit_merge_previous(actor=officer, unit=DraftUnit.objects.get(consultation=consultation, position=0))


def test_split_at_a_text_position(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer, state="draft")
    unit = DraftUnit.objects.get(consultation=consultation, citation="§ 1")
    at = unit.text.index("z organizacjami")
    new = services.unit_split(actor=officer, unit=unit, at=at, label="1a")
    stored = rows(consultation)
    assert stored[1][5] == "Program określa zasady współpracy" and stored[2][5] == "z organizacjami pozarządowymi."
    assert new.citation == "§ 1a" and [r[0] for r in stored] == list(range(8))
    with pytest.raises(ConsultationError):
        services.unit_split(actor=officer, unit=DraftUnit.objects.get(pk=new.pk), at=0)


def test_corrections_are_refused_once_open_and_to_strangers(opolskie):
    officer = officer_of(opolskie)
    consultation = make_consultation(opolskie, officer=officer)
    unit = DraftUnit.objects.get(consultation=consultation, citation="§ 1")
    with pytest.raises(ConsultationError):
        services.unit_relabel(actor=officer, unit=unit, label="9")
    with pytest.raises(ConsultationError):
        services.draft_import(
            actor=officer,
            consultation=consultation,
            root=__import__("tests.consultations.factories", fromlist=["x"]).draft_tree(),
            source="x",
        )
    draft = make_consultation(opolskie, state="draft")
    from django.core.exceptions import PermissionDenied

    from tests.accounts.factories import UserFactory

    with pytest.raises(PermissionDenied):
        services.unit_relabel(actor=UserFactory(), unit=DraftUnit.objects.filter(consultation=draft).first(), label="9")


def test_word_diff():
    assert unitlib.word_diff("a b c", "a x c") == [("same", "a"), ("removed", "b"), ("added", "x"), ("same", "c")]


def unit(citation, text, kind="paragraf", label=""):
    return unitlib.Row(position=0, parent=None, depth=0, kind=kind, label=label, title="", text=text, citation=citation)


def test_compare_pairs_by_citation_so_an_inserted_unit_shifts_nothing():
    old = [unit("§ 1", "Program określa zasady."), unit("§ 2", "Cele programu."), unit("§ 3", "Ostatni.")]
    new = [
        unit("§ 1", "Program określa zasady."),
        unit("§ 1a", "Nowy przepis."),
        unit("§ 2", "Cele całego programu."),
        unit("§ 3", "Ostatni."),
    ]
    rows = unitlib.compare(old, new)
    assert [(row["citation"], row["status"]) for row in rows] == [
        ("§ 1", "same"),
        ("§ 1a", "added"),
        ("§ 2", "changed"),
        ("§ 3", "same"),
    ]
    assert rows[2]["diff"] == [("same", "Cele"), ("added", "całego"), ("same", "programu.")]
    assert unitlib.summary(rows) == {"changed": 1, "added": 1, "removed": 0, "same": 2}


def test_compare_pairs_repeated_citations_in_order_and_reports_removals():
    # Unlabelled texts share their parent's citation: the second one's change is its own, not the first one's.
    old = [unit("§ 1", "Wstęp."), unit("§ 1", "Pierwszy akapit.", kind="text"), unit("§ 1", "Drugi.", kind="text")]
    new = [
        unit("§ 1", "Wstęp."),
        unit("§ 1", "Pierwszy akapit.", kind="text"),
        unit("§ 1", "Drugi, zmieniony.", kind="text"),
    ]
    assert [row["status"] for row in unitlib.compare(old, new)] == ["same", "same", "changed"]
    gone = unitlib.compare(old, new[:1])
    assert [row["status"] for row in gone] == ["same", "removed", "removed"]
    assert gone[1]["old"] == "Pierwszy akapit." and gone[1]["new"] == ""
