"""The demo library for `ngo-platform seed_demo` (idempotent: nothing is added once any document exists).

The demo working group's accepted standard of consulting, published in one step, and five documents of other
kinds the voivodeship's officer adds with their files (DOCX and PDF drawn here): a model of regranting, the draft
programme of cooperation for next year, last year's report on the programme, a template of the comment form and
the minutes of the voivodeship's public benefit council. Everything goes through the services, so the search
entries, the revisions and the audit log are those of a real library.
"""

from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ngo_platform.accounts.demo import DEMO_DOMAIN
from ngo_platform.accounts.models import User
from ngo_platform.core.documents import docx_bytes, new_docx, render_pdf
from ngo_platform.library import services
from ngo_platform.library.models import LibraryDocument
from ngo_platform.territory.models import Authority
from ngo_platform.workgroups.models import DocumentVersion, VersionState

MODEL = """Model regrantingu w województwie opolskim
1. Operator wybrany w otwartym konkursie ofert przekazuje środki na małe inicjatywy grup nieformalnych i młodych \
organizacji.
2. Jedna inicjatywa otrzymuje od 1 000 do 5 000 zł; operator pomaga napisać wniosek i rozliczyć dotację.
3. Wnioski ocenia komisja operatora z udziałem przedstawiciela samorządu; wyniki są jawne.
4. Operator składa samorządowi jedno sprawozdanie obejmujące wszystkie zrealizowane inicjatywy."""
PROGRAMME = """Program współpracy Samorządu Województwa Opolskiego z organizacjami pozarządowymi na rok {year}
Rozdział 1. Cel główny: wzmacnianie aktywności obywatelskiej i partnerstwa samorządu z organizacjami.
Rozdział 2. Zasady: pomocniczość, suwerenność stron, partnerstwo, efektywność, uczciwa konkurencja, jawność.
Rozdział 3. Formy: zlecanie zadań publicznych, konsultacje projektów aktów, zespoły o charakterze doradczym.
Rozdział 4. Priorytety: kultura, pomoc społeczna, ochrona zdrowia, ekologia, turystyka i sport.
Rozdział 5. Sposób oceny realizacji programu: liczba konkursów, ofert, umów i zaangażowanych organizacji."""
TEMPLATE = """Formularz uwag do projektu aktu
Nazwa organizacji lub imię i nazwisko:
Adres e-mail do kontaktu:
Jednostka projektu (paragraf, ustęp, punkt):
Dotychczasowy zapis:
Proponowany zapis:
Uzasadnienie:"""
REPORT = """Sprawozdanie z realizacji programu współpracy za rok {year}
W roku {year} samorząd ogłosił 14 otwartych konkursów ofert, na które wpłynęło 212 ofert.
Zawarto 163 umowy na realizację zadań publicznych, w tym 21 w trybie małych grantów.
Przeprowadzono 9 konsultacji projektów aktów prawa miejscowego; zgłoszono 87 uwag.
Działały dwa zespoły o charakterze doradczym, w tym zespół do spraw standardu konsultacji."""
MINUTES = """Protokół z posiedzenia Wojewódzkiej Rady Działalności Pożytku Publicznego
Rada zaopiniowała projekt programu współpracy na rok {year}.
Rada przyjęła stanowisko w sprawie standardu konsultowania projektów aktów prawa miejscowego.
Na posiedzeniu obecnych było 12 członków Rady; kworum zostało zachowane."""


def _upload(text: str, name: str, authority, year: int) -> SimpleUploadedFile:
    """The text as a DOCX (the first line its title) or, for a name ending .pdf, as a drawn PDF."""
    title, *lines = text.splitlines()
    if name.endswith(".pdf"):
        document = SimpleNamespace(title=title, authority=authority, year=year)
        content = render_pdf("library/documents/text.html", {"document": document, "lines": lines})
    else:
        document = new_docx(title)
        for line in lines:
            document.add_paragraph(line)
        content = docx_bytes(document)
    return SimpleUploadedFile(name, content)


def _documents(year: int) -> list[tuple[str, str, dict]]:
    """(text, file name, data) of each demo document but the standard."""
    return [
        (MODEL, "model-regrantingu.docx", {"kind": "model", "year": year, "tags": ["regranting", "małe granty"],
         "description": "Jak operator przekazuje środki na małe inicjatywy lokalne."}),
        (PROGRAMME.format(year=year + 1), "program-wspolpracy.docx", {"kind": "programme", "year": year + 1,
         "tags": ["program współpracy"], "description": "Projekt programu na przyszły rok, po opinii Rady."}),
        (REPORT.format(year=year - 1), "sprawozdanie.pdf", {"kind": "report", "year": year - 1,
         "tags": ["program współpracy", "sprawozdanie"]}),
        (TEMPLATE, "formularz-uwag.docx", {"kind": "template", "year": year, "tags": ["konsultacje", "formularz"],
         "description": "Formularz w standardowej formie uwag: dotychczasowy zapis, propozycja, uzasadnienie."}),
        (MINUTES.format(year=year + 1), "protokol-rady.pdf", {"kind": "minutes", "year": year,
         "tags": ["rada pożytku"]}),
    ]  # fmt: skip


def seed() -> list:
    authority = Authority.objects.filter(unit__teryt="16").first()
    officer = User.objects.filter(email=f"urzednik@{DEMO_DOMAIN}").first()
    if LibraryDocument.objects.exists() or authority is None or officer is None:
        return []
    year = timezone.localdate().year
    accepted = DocumentVersion.objects.filter(state=VersionState.ACCEPTED, document__group__authority=authority)
    standard = accepted.order_by("-number").first()
    if standard is not None:
        services.publish_version(
            actor=officer,
            version=standard,
            data={"kind": "standard", "year": year, "tags": ["konsultacje", "standard"],
                  "description": "Wypracowany przez zespół z udziałem organizacji pozarządowych."},
        )  # fmt: skip
    for text, name, data in _documents(year):
        upload = _upload(text, name, authority, data["year"])
        data["title"] = text.splitlines()[0]
        services.document_add(
            actor=officer, authority=authority, data=data, upload=upload, file_type=name.rsplit(".", 1)[1]
        )
    return []
