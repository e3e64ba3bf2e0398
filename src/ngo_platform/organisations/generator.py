"""Believable Polish organisations, generated deterministically, for the demo and the benchmarks.

`generate(count, seed=...)` yields cleaned data dicts in the shape `services.organisation_create`
accepts (the scalar fields of `services.SCALAR_FIELDS`, the seat and `areas` as TerritorialUnit
objects, `spheres` as Sphere objects of the newest SphereCatalogue). `bulk_insert(count, seed=...)`
writes many of them fast: `bulk_create` of organisations and of the many-to-many rows, then
`search.index_organisations`, one transaction per batch, one audit entry per batch.

The organisations are spread over the gminas that are loaded (weighted by population, so cities get
more), with names built from the patterns real ones use, Polish place-name forms for the Opole
voivodeship (other voivodeships fall back to "w gminie X"), legal forms with realistic shares, the
register each form belongs to (domain.md §E), unique identifiers with valid check digits, 1–4
spheres of public tasks and 1–3 sentences of description.

Everything depends only on the seed and the reference data in the database (gminas ordered by
TERYT, spheres of the newest catalogue): the same seed gives the same organisations. Identifiers
come from their own random streams and skip values already taken in the database, so an existing
organisation changes only the identifiers, never the other fields.

The data is fiction: names may coincide with real organisations, but websites and e-mail
addresses use the reserved top-level domain `.example` (RFC 2606), so nothing generated can
reach anyone.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from stdnum.pl import regon as stdnum_regon

from ngo_platform.core.services import audit_log
from ngo_platform.core.text import slugify_pl
from ngo_platform.organisations import search
from ngo_platform.organisations.models import LegalForm, Organisation, OrganisationStatus, Register
from ngo_platform.organisations.services import SCALAR_FIELDS, unique_slug
from ngo_platform.territory.models import in_city_with_powiat_rights

DEFAULT_SEED = 20240101
GENERATE_ACTION = "organisations.organisation_generate"
TODAY = date(2025, 6, 30)  # generated dates never pass it, whatever the clock says

# ---------------------------------------------------------------------------------------------
# Places. TERYT of a gmina → (locative with its preposition, genitive, feminine genitive
# adjective for "Ziemi …" or "", population in thousands, approximate, used only as a weight).
# ---------------------------------------------------------------------------------------------
PLACES: dict[str, tuple[str, str, str, float]] = {
    "1601011": ("w Brzegu", "Brzegu", "Brzeskiej", 34),
    "1601022": ("w Skarbimierzu", "Skarbimierza", "", 8),
    "1601033": ("w Grodkowie", "Grodkowa", "Grodkowskiej", 19),
    "1601043": ("w Lewinie Brzeskim", "Lewina Brzeskiego", "Lewińskiej", 12),
    "1601052": ("w Lubszy", "Lubszy", "", 9),
    "1601062": ("w Olszance", "Olszanki", "", 4.7),
    "1602013": ("w Baborowie", "Baborowa", "Baborowskiej", 6),
    "1602022": ("w Branicach", "Branic", "", 6.5),
    "1602033": ("w Głubczycach", "Głubczyc", "Głubczyckiej", 21),
    "1602043": ("w Kietrzu", "Kietrza", "Kietrzańskiej", 10.5),
    "1603011": ("w Kędzierzynie-Koźlu", "Kędzierzyna-Koźla", "Kozielskiej", 58),
    "1603022": ("w Bierawie", "Bierawy", "", 7.5),
    "1603032": ("w Cisku", "Ciska", "", 5.5),
    "1603042": ("w Pawłowiczkach", "Pawłowiczek", "", 7.5),
    "1603052": ("w Polskiej Cerekwi", "Polskiej Cerekwi", "", 4),
    "1603062": ("w Reńskiej Wsi", "Reńskiej Wsi", "", 7.5),
    "1604013": ("w Byczynie", "Byczyny", "Byczyńskiej", 9),
    "1604023": ("w Kluczborku", "Kluczborka", "Kluczborskiej", 35),
    "1604032": ("w Lasowicach Wielkich", "Lasowic Wielkich", "", 6.5),
    "1604043": ("w Wołczynie", "Wołczyna", "Wołczyńskiej", 13.5),
    "1605013": ("w Gogolinie", "Gogolina", "Gogolińskiej", 12),
    "1605023": ("w Krapkowicach", "Krapkowic", "Krapkowickiej", 22),
    "1605033": ("w Strzeleczkach", "Strzeleczek", "", 7),
    "1605042": ("w Walcach", "Walc", "", 5.5),
    "1605053": ("w Zdzieszowicach", "Zdzieszowic", "Zdzieszowickiej", 15),
    "1606012": ("w Domaszowicach", "Domaszowic", "", 3.7),
    "1606023": ("w Namysłowie", "Namysłowa", "Namysłowskiej", 25),
    "1606032": ("w Pokoju", "Pokoju", "", 5),
    "1606042": ("w Świerczowie", "Świerczowa", "", 3.5),
    "1606052": ("w Wilkowie", "Wilkowa", "", 4.5),
    "1607013": ("w Głuchołazach", "Głuchołaz", "Głuchołaskiej", 22),
    "1607022": ("w Kamienniku", "Kamiennika", "", 3.5),
    "1607033": ("w Korfantowie", "Korfantowa", "Korfantowskiej", 9),
    "1607042": ("w Łambinowicach", "Łambinowic", "", 7.5),
    "1607053": ("w Nysie", "Nysy", "Nyskiej", 55),
    "1607063": ("w Otmuchowie", "Otmuchowa", "Otmuchowskiej", 13),
    "1607073": ("w Paczkowie", "Paczkowa", "Paczkowskiej", 12),
    "1607082": ("w Pakosławicach", "Pakosławic", "", 3.5),
    "1607092": ("w Skoroszycach", "Skoroszyc", "", 6),
    "1608013": ("w Dobrodzieniu", "Dobrodzienia", "Dobrodzieńskiej", 9.5),
    "1608023": ("w Gorzowie Śląskim", "Gorzowa Śląskiego", "Gorzowskiej", 7),
    "1608033": ("w Oleśnie", "Olesna", "Oleskiej", 17),
    "1608043": ("w Praszce", "Praszki", "Praszkowskiej", 13),
    "1608052": ("w Radłowie", "Radłowa", "", 4),
    "1608062": ("w Rudnikach", "Rudnik", "", 9),
    "1608072": ("w Zębowicach", "Zębowic", "", 3.6),
    "1609012": ("w Chrząstowicach", "Chrząstowic", "", 7),
    "1609022": ("w Dąbrowie", "Dąbrowy", "", 10),
    "1609032": ("w Dobrzeniu Wielkim", "Dobrzenia Wielkiego", "", 15),
    "1609042": ("w Komprachcicach", "Komprachcic", "", 12),
    "1609052": ("w Łubnianach", "Łubnian", "", 10),
    "1609062": ("w Murowie", "Murowa", "", 5.5),
    "1609073": ("w Niemodlinie", "Niemodlina", "Niemodlińskiej", 13),
    "1609083": ("w Ozimku", "Ozimka", "Ozimskiej", 19),
    "1609092": ("w Popielowie", "Popielowa", "", 8),
    "1609103": ("w Prószkowie", "Prószkowa", "Prószkowskiej", 9.5),
    "1609112": ("w Tarnowie Opolskim", "Tarnowa Opolskiego", "", 9.5),
    "1609123": ("w Tułowicach", "Tułowic", "", 5),
    "1609132": ("w Turawie", "Turawy", "", 10),
    "1610013": ("w Białej", "Białej", "Bialskiej", 10.5),
    "1610023": ("w Głogówku", "Głogówka", "Głogóweckiej", 12.5),
    "1610032": ("w Lubrzy", "Lubrzy", "", 4),
    "1610043": ("w Prudniku", "Prudnika", "Prudnickiej", 25),
    "1611012": ("w Izbicku", "Izbicka", "", 5.3),
    "1611022": ("w Jemielnicy", "Jemielnicy", "", 7),
    "1611033": ("w Kolonowskiem", "Kolonowskiego", "", 5.8),
    "1611043": ("w Leśnicy", "Leśnicy", "", 7.5),
    "1611053": ("w Strzelcach Opolskich", "Strzelec Opolskich", "Strzeleckiej", 30),
    "1611063": ("w Ujeździe", "Ujazdu", "", 6.5),
    "1611073": ("w Zawadzkiem", "Zawadzkiego", "", 11),
    "1661011": ("w Opolu", "Opola", "Opolskiej", 127),
}

# Villages of some gminas (TERC 2024: Czarnowąsy and the other villages joined to Opole in 2017 are
# not here): (nominative, locative with its preposition, genitive).
VILLAGES: dict[str, list[tuple[str, str, str]]] = {
    "1601033": [
        ("Wierzbna", "w Wierzbnej", "Wierzbnej"),
        ("Jędrzejów", "w Jędrzejowie", "Jędrzejowa"),
        ("Kopice", "w Kopicach", "Kopic"),
    ],
    "1601043": [("Łosiów", "w Łosiowie", "Łosiowa"), ("Skorogoszcz", "w Skorogoszczy", "Skorogoszczy")],
    "1602013": [("Sucha Psina", "w Suchej Psinie", "Suchej Psiny")],
    "1602022": [("Bliszczyce", "w Bliszczycach", "Bliszczyc")],
    "1602033": [
        ("Bogdanowice", "w Bogdanowicach", "Bogdanowic"),
        ("Lisięcice", "w Lisięcicach", "Lisięcic"),
        ("Pietrowice", "w Pietrowicach", "Pietrowic"),
    ],
    "1602043": [("Dzierżysław", "w Dzierżysławiu", "Dzierżysławia"), ("Pilszcz", "w Pilszczu", "Pilszcza")],
    "1603022": [
        ("Dziergowice", "w Dziergowicach", "Dziergowic"),
        ("Kotlarnia", "w Kotlarni", "Kotlarni"),
        ("Stare Koźle", "w Starym Koźlu", "Starego Koźla"),
    ],
    "1603032": [
        ("Landzmierz", "w Landzmierzu", "Landzmierza"),
        ("Roszowicki Las", "w Roszowickim Lesie", "Roszowickiego Lasu"),
    ],
    "1603042": [("Gościęcin", "w Gościęcinie", "Gościęcina"), ("Ucieszków", "w Ucieszkowie", "Ucieszkowa")],
    "1603062": [("Większyce", "w Większycach", "Większyc"), ("Dębowa", "w Dębowej", "Dębowej")],
    "1604013": [("Polanowice", "w Polanowicach", "Polanowic"), ("Roszkowice", "w Roszkowicach", "Roszkowic")],
    "1604023": [
        ("Bąków", "w Bąkowie", "Bąkowa"),
        ("Gotartów", "w Gotartowie", "Gotartowa"),
        ("Bażany", "w Bażanach", "Bażan"),
        ("Kujakowice Górne", "w Kujakowicach Górnych", "Kujakowic Górnych"),
        ("Ligota Dolna", "w Ligocie Dolnej", "Ligoty Dolnej"),
    ],
    "1604032": [("Chocianowice", "w Chocianowicach", "Chocianowic")],
    "1604043": [("Skałągi", "w Skałągach", "Skałąg"), ("Wierzbica Górna", "w Wierzbicy Górnej", "Wierzbicy Górnej")],
    "1605013": [
        ("Kamień Śląski", "w Kamieniu Śląskim", "Kamienia Śląskiego"),
        ("Malnia", "w Malni", "Malni"),
        ("Górażdże", "w Górażdżach", "Górażdży"),
        ("Obrowiec", "w Obrowcu", "Obrowca"),
        ("Zakrzów", "w Zakrzowie", "Zakrzowa"),
    ],
    "1605023": [
        ("Rogów Opolski", "w Rogowie Opolskim", "Rogowa Opolskiego"),
        ("Dąbrówka Górna", "w Dąbrówce Górnej", "Dąbrówki Górnej"),
    ],
    "1605033": [("Dobra", "w Dobrej", "Dobrej"), ("Łowkowice", "w Łowkowicach", "Łowkowic")],
    "1605042": [("Brożec", "w Brożcu", "Brożca"), ("Rozkochów", "w Rozkochowie", "Rozkochowa")],
    "1605053": [
        ("Januszkowice", "w Januszkowicach", "Januszkowic"),
        ("Żyrowa", "w Żyrowej", "Żyrowej"),
        ("Oleszka", "w Oleszce", "Oleszki"),
    ],
    "1606032": [("Domaradz", "w Domaradzu", "Domaradza")],
    "1607013": [
        ("Jarnołtówek", "w Jarnołtówku", "Jarnołtówka"),
        ("Pokrzywna", "w Pokrzywnej", "Pokrzywnej"),
        ("Bodzanów", "w Bodzanowie", "Bodzanowa"),
        ("Biskupów", "w Biskupowie", "Biskupowa"),
    ],
    "1607033": [("Przechód", "w Przechodzie", "Przechodu")],
    "1607053": [
        ("Goświnowice", "w Goświnowicach", "Goświnowic"),
        ("Hajduki Nyskie", "w Hajdukach Nyskich", "Hajduk Nyskich"),
        ("Kępnica", "w Kępnicy", "Kępnicy"),
        ("Morów", "w Morowie", "Morowa"),
        ("Radzikowice", "w Radzikowicach", "Radzikowic"),
        ("Domaszkowice", "w Domaszkowicach", "Domaszkowic"),
    ],
    "1607063": [("Kałków", "w Kałkowie", "Kałkowa"), ("Wójcice", "w Wójcicach", "Wójcic")],
    "1607073": [("Kozielno", "w Kozielnie", "Kozielna")],
    "1607092": [("Sidzina", "w Sidzinie", "Sidziny")],
    "1608013": [("Pludry", "w Pludrach", "Pludrów")],
    "1608033": [
        ("Borki Wielkie", "w Borkach Wielkich", "Borek Wielkich"),
        ("Wachowice", "w Wachowicach", "Wachowic"),
        ("Sowczyce", "w Sowczycach", "Sowczyc"),
    ],
    "1608043": [("Przedmość", "w Przedmościu", "Przedmościa"), ("Rosochy", "w Rosochach", "Rosoch")],
    "1608062": [("Żytniów", "w Żytniowie", "Żytniowa")],
    "1608072": [("Radawie", "w Radawiu", "Radawia")],
    "1609012": [
        ("Suchy Bór", "w Suchym Borze", "Suchego Boru"),
        ("Dębska Kuźnia", "w Dębskiej Kuźni", "Dębskiej Kuźni"),
        ("Lędziny", "w Lędzinach", "Lędzin"),
        ("Niwki", "w Niwkach", "Niwek"),
    ],
    "1609022": [
        ("Niewodniki", "w Niewodnikach", "Niewodnik"),
        ("Chróścina", "w Chróścinie", "Chróściny"),
        ("Karczów", "w Karczowie", "Karczowa"),
    ],
    "1609032": [("Chróścice", "w Chróścicach", "Chróścic")],
    "1609042": [
        ("Osiny", "w Osinach", "Osin"),
        ("Domecko", "w Domecku", "Domecka"),
        ("Polska Nowa Wieś", "w Polskiej Nowej Wsi", "Polskiej Nowej Wsi"),
        ("Ochodze", "w Ochodzach", "Ochodz"),
    ],
    "1609052": [
        ("Jełowa", "w Jełowej", "Jełowej"),
        ("Kolanowice", "w Kolanowicach", "Kolanowic"),
        ("Brynica", "w Brynicy", "Brynicy"),
        ("Masów", "w Masowie", "Masowa"),
    ],
    "1609062": [("Zagwiździe", "w Zagwiździu", "Zagwiździa"), ("Radomierowice", "w Radomierowicach", "Radomierowic")],
    "1609073": [("Gracze", "w Graczach", "Graczy")],
    "1609083": [
        ("Krasiejów", "w Krasiejowie", "Krasiejowa"),
        ("Szczedrzyk", "w Szczedrzyku", "Szczedrzyka"),
        ("Antoniów", "w Antoniowie", "Antoniowa"),
        ("Grodziec", "w Grodźcu", "Grodźca"),
        ("Dylaki", "w Dylakach", "Dylak"),
    ],
    "1609092": [
        ("Stare Siołkowice", "w Starych Siołkowicach", "Starych Siołkowic"),
        ("Karłowice", "w Karłowicach", "Karłowic"),
        ("Stobrawa", "w Stobrawie", "Stobrawy"),
    ],
    "1609103": [
        ("Przysiecz", "w Przysieczy", "Przysieczy"),
        ("Chrzowice", "w Chrzowicach", "Chrzowic"),
        ("Złotniki", "w Złotnikach", "Złotnik"),
    ],
    "1609112": [("Przywory", "w Przyworach", "Przywór")],
    "1609123": [("Szydłów", "w Szydłowie", "Szydłowa")],
    "1609132": [
        ("Osowiec", "w Osowcu", "Osowca"),
        ("Kotórz Mały", "w Kotorzu Małym", "Kotorza Małego"),
        ("Zawada", "w Zawadzie", "Zawady"),
        ("Bierdzany", "w Bierdzanach", "Bierdzan"),
        ("Węgry", "w Węgrach", "Węgier"),
    ],
    "1610013": [("Śmicz", "w Śmiczu", "Śmicza"), ("Chrzelice", "w Chrzelicach", "Chrzelic")],
    "1610023": [
        ("Racławice Śląskie", "w Racławicach Śląskich", "Racławic Śląskich"),
        ("Kazimierz", "w Kazimierzu", "Kazimierza"),
        ("Twardawa", "w Twardawie", "Twardawy"),
    ],
    "1610032": [("Dytmarów", "w Dytmarowie", "Dytmarowa"), ("Trzebina", "w Trzebinie", "Trzebiny")],
    "1610043": [
        ("Moszczanka", "w Moszczance", "Moszczanki"),
        ("Łąka Prudnicka", "w Łące Prudnickiej", "Łąki Prudnickiej"),
        ("Niemysłowice", "w Niemysłowicach", "Niemysłowic"),
        ("Szybowice", "w Szybowicach", "Szybowic"),
    ],
    "1611012": [("Otmice", "w Otmicach", "Otmic"), ("Krośnica", "w Krośnicy", "Krośnicy")],
    "1611022": [
        ("Centawa", "w Centawie", "Centawy"),
        ("Gąsiorowice", "w Gąsiorowicach", "Gąsiorowic"),
        ("Piotrówka", "w Piotrówce", "Piotrówki"),
    ],
    "1611033": [
        ("Staniszcze Wielkie", "w Staniszczach Wielkich", "Staniszcz Wielkich"),
        ("Spórok", "w Spóroku", "Spóroka"),
    ],
    "1611043": [
        ("Góra Świętej Anny", "na Górze Świętej Anny", "Góry Świętej Anny"),
        ("Dolna", "w Dolnej", "Dolnej"),
        ("Łąki Kozielskie", "w Łąkach Kozielskich", "Łąk Kozielskich"),
    ],
    "1611053": [
        ("Kadłub", "w Kadłubie", "Kadłuba"),
        ("Rożniątów", "w Rożniątowie", "Rożniątowa"),
        ("Szymiszów", "w Szymiszowie", "Szymiszowa"),
        ("Dziewkowice", "w Dziewkowicach", "Dziewkowic"),
        ("Osiek", "w Osieku", "Osieka"),
    ],
    "1611063": [
        ("Zimna Wódka", "w Zimnej Wódce", "Zimnej Wódki"),
        ("Jaryszów", "w Jaryszowie", "Jaryszowa"),
        ("Niezdrowice", "w Niezdrowicach", "Niezdrowic"),
    ],
    "1611073": [("Żędowice", "w Żędowicach", "Żędowic"), ("Kielcza", "w Kielczy", "Kielczy")],
}

# NIP prefixes (tax offices) by powiat TERYT: plausible, not verified against the list of offices.
NIP_PREFIXES = {
    "1601": "747",
    "1602": "748",
    "1603": "749",
    "1604": "751",
    "1605": "199",
    "1606": "752",
    "1607": "753",
    "1608": "576",
    "1609": "754",
    "1610": "755",
    "1611": "756",
    "1661": "754",
}
# Postal codes by powiat TERYT (the first three digits; the rest is drawn).
POSTAL_PREFIXES = {
    "1601": ["49-3"],
    "1602": ["48-1"],
    "1603": ["47-2"],
    "1604": ["46-2"],
    "1605": ["47-3"],
    "1606": ["46-1"],
    "1607": ["48-3"],
    "1608": ["46-3"],
    "1609": ["46-0", "49-1"],
    "1610": ["48-2"],
    "1611": ["47-1"],
    "1661": ["45-0", "45-1", "45-2", "45-3", "45-4", "45-5", "45-7", "45-8"],
}
STREETS = [
    "ul. Mickiewicza",
    "ul. Kościuszki",
    "ul. Opolska",
    "ul. Wiejska",
    "ul. Szkolna",
    "ul. Polna",
    "ul. Ogrodowa",
    "ul. Kościelna",
    "ul. Słowackiego",
    "ul. Sienkiewicza",
    "ul. Jana Pawła II",
    "ul. Dworcowa",
    "ul. Zielona",
    "ul. Lipowa",
    "ul. Krakowska",
    "Rynek",
    "ul. Piastowska",
    "ul. Stawowa",
    "ul. Główna",
    "pl. Wolności",
    "ul. Konopnickiej",
    "ul. Reymonta",
    "ul. Chopina",
    "ul. Powstańców Śląskich",
    "ul. 1 Maja",
    "ul. Damrota",
    "ul. Ozimska",
    "ul. Wrocławska",
    "ul. Kasztanowa",
    "ul. Parkowa",
    "ul. Młyńska",
    "ul. Kolejowa",
    "ul. Długa",
]

# ---------------------------------------------------------------------------------------------
# Words of names.
# ---------------------------------------------------------------------------------------------
QUOTED = [
    "Razem",
    "Przystań",
    "Horyzont",
    "Nadzieja",
    "Tęcza",
    "Promyk",
    "Iskierka",
    "Słoneczko",
    "Nasza Wieś",
    "Pod Dębem",
    "Zielony Zakątek",
    "Bajka",
    "Arka",
    "Most",
    "Kwiat Lipy",
    "Korzenie",
    "Przyszłość",
    "Otwarte Drzwi",
    "Dobry Start",
    "Kropla",
    "Źródło",
    "Wspólna Sprawa",
    "Sąsiedzi",
    "Wrzos",
    "Jarzębina",
    "Kalina",
    "Niezapominajka",
    "Pokolenia",
    "Drugi Dom",
    "Na Fali",
    "Pod Wiatr",
    "Skrzydła",
    "Kompas",
    "Ostoja",
    "Dąb",
    "Wierzba",
    "Stobrawa",
    "Mała Panew",
    "Dolina Odry",
    "Przyjazny Dom",
    "Uśmiech",
    "Szansa",
    "Krok po Kroku",
    "Zawsze Razem",
    "Bez Barier",
    "Wiatrak",
    "Bocian",
    "Ptasi Azyl",
    "Kolorowy Świat",
    "Sercem dla Innych",
    "Babie Lato",
    "Złota Jesień",
    "Aktywni",
    "Inicjatywa",
    "Perspektywa",
    "Fenix",
    "Agora",
    "Akademia Marzeń",
    "Pasja",
    "Natura",
    "Zdrowie",
    "Równe Szanse",
    "Klucz",
    "Latarnia",
]
SPORT_NAMES = [
    "Orlik",
    "Odra",
    "Start",
    "Sparta",
    "Polonia",
    "Victoria",
    "Płomień",
    "Iskra",
    "Unia",
    "Pogoń",
    "Błękitni",
    "Orzeł",
    "Sokół",
    "Tęcza",
    "Kolejarz",
    "Ruch",
    "Czarni",
    "Zryw",
    "Grom",
    "Olimp",
    "Jedynka",
    "Dwójka",
    "Delfin",
    "Junior",
    "Tygrysy",
    "Hetman",
    "Żak",
    "Rekord",
    "Energetyk",
    "Chemik",
    "Budowlani",
    "Stal",
    "Piast",
    "Małapanew",
    "Swornica",
    "Włókniarz",
    "Granit",
    "Jastrząb",
    "Lwy",
    "Ikar",
]
KGW_NAMES = [
    "Babeczki",
    "Jarzębina",
    "Kalina",
    "Niezapominajki",
    "Złote Kłosy",
    "Słoneczniki",
    "Kwiaty Polne",
    "Wrzosy",
    "Malwy",
    "Gosposie",
    "Pod Lipą",
    "Stokrotki",
    "Ale Babki",
    "Kołoczanki",
]
SAINTS = [
    "św. Jadwigi",
    "św. Józefa",
    "św. Jana Chrzciciela",
    "św. Mikołaja",
    "Wniebowzięcia Najświętszej Maryi Panny",
    "Najświętszego Serca Pana Jezusa",
    "św. Anny",
    "św. Floriana",
    "Trójcy Świętej",
    "św. Michała Archanioła",
    "Podwyższenia Krzyża Świętego",
    "św. Wawrzyńca",
    "św. Marcina",
    "św. Jakuba Apostoła",
    "Bożego Ciała",
]
PATRONS = [
    "Jana Pawła II",
    "Józefa Lompy",
    "Marii Konopnickiej",
    "św. Jadwigi Śląskiej",
    "Janusza Korczaka",
    "Józefa von Eichendorffa",
    "Jana Kochanowskiego",
    "Marii Skłodowskiej-Curie",
    "Karola Miarki",
]
FIELDS_OF_FOUNDATION = [
    ("Rozwoju Lokalnego", ("rozwoj",)),
    ("Pomocy Dzieciom i Młodzieży", ("dzieci", "pomoc")),
    ("Edukacji i Kultury", ("edukacja", "kultura")),
    ("Wspierania Seniorów", ("seniorzy",)),
    ("Ekologiczna", ("ekologia",)),
    ("Zdrowia i Profilaktyki", ("zdrowie",)),
    ("Na Rzecz Osób Niepełnosprawnych", ("niepelnosprawni",)),
    ("Przyjaciół Zwierząt", ("zwierzeta",)),
    ("Aktywizacji Zawodowej", ("zatrudnienie",)),
    ("Wspierania Rodziny", ("rodzina",)),
    ("Rozwoju Przedsiębiorczości", ("gospodarka",)),
    ("Pomocy Prawnej", ("prawa",)),
    ("Wspierania Organizacji Pozarządowych", ("ngo",)),
    ("Dziedzictwa Kulturowego", ("kultura",)),
    ("Sportu i Rekreacji", ("sport",)),
]

# ---------------------------------------------------------------------------------------------
# Themes: spheres of public tasks (art. 4 ust. 1 numbers: first always, others sometimes) and
# sentences of descriptions. Placeholders: {loc} "w Nysie", {gen} "Nysy", {gmina_gen} "gminy Nysa",
# {gmina_loc} "w gminie Nysa", {region_gen} "Śląska Opolskiego", {year} founding year.
# ---------------------------------------------------------------------------------------------
THEMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "rozwoj": (
        ("13", "32a", "11"),
        (
            "Działamy na rzecz rozwoju {gmina_gen} i aktywizacji jej mieszkańców.",
            "Pozyskujemy środki na odnowę wsi, remontujemy świetlice i budujemy place zabaw.",
            "Organizujemy festyny, dożynki i spotkania sąsiedzkie {loc}.",
            "Wspieramy lokalnych liderów i inicjatywy mieszkańców w sołectwach naszej gminy.",
            "Budujemy partnerstwa z samorządem, szkołami i przedsiębiorcami, żeby w gminach powiatu żyło się lepiej.",
        ),
    ),
    "kultura": (
        ("16", "4"),
        (
            "Upowszechniamy kulturę i sztukę: organizujemy koncerty, wystawy i warsztaty artystyczne {loc}.",
            "Dbamy o zabytki i dziedzictwo kulturowe {region_gen}.",
            "Prowadzimy zespół ludowy, chór i orkiestrę dętą, które występują na przeglądach i festiwalach.",
            "Wydajemy publikacje o historii {gen} i spisujemy wspomnienia najstarszych mieszkańców.",
            "W naszej pracowni dzieci i dorośli uczą się malarstwa, ceramiki i fotografii.",
            "Wierzymy, że kultura łączy pokolenia i buduje lokalną tożsamość.",
        ),
    ),
    "dyscyplina": (
        ("17",),
        (
            "Prowadzimy treningi dla dzieci, młodzieży i dorosłych {loc}.",
            "Nasi zawodnicy startują w mistrzostwach województwa i Polski.",
            "Organizujemy zawody, turnieje i obozy sportowe.",
            "Upowszechniamy kulturę fizyczną i zdrowy styl życia wśród mieszkańców gminy.",
        ),
    ),
    "sport": (
        ("17", "15"),
        (
            "Prowadzimy zajęcia sportowe dla dzieci i młodzieży {loc}.",
            "Nasze drużyny piłkarskie grają w ligach okręgowych, a juniorzy regularnie zdobywają medale.",
            "Organizujemy turnieje, biegi uliczne i rajdy rowerowe dla mieszkańców.",
            "Szkolimy młodych zawodników w piłce nożnej, siatkówce, lekkiej atletyce i tenisie stołowym.",
            "Upowszechniamy kulturę fizyczną i zdrowy styl życia wśród mieszkańców gminy.",
        ),
    ),
    "dzieci": (
        ("15", "14"),
        (
            "Prowadzimy świetlicę środowiskową, w której dzieci odrabiają lekcje i spędzają czas po szkole.",
            "Organizujemy kolonie, półkolonie i wypoczynek letni dla dzieci z rodzin w trudnej sytuacji.",
            "Wspieramy dzieci i młodzież w rozwijaniu talentów i pasji.",
            "Prowadzimy zajęcia pozalekcyjne, korepetycje i warsztaty dla uczniów szkół podstawowych.",
        ),
    ),
    "edukacja": (
        ("14", "15"),
        (
            "Wspieramy szkołę {loc}: kupujemy pomoce dydaktyczne i finansujemy wycieczki edukacyjne.",
            "Prowadzimy niepubliczne przedszkole i szkołę podstawową.",
            "Organizujemy konkursy wiedzy, olimpiady przedmiotowe i kursy językowe.",
            "Uczymy programowania, robotyki i bezpiecznego korzystania z internetu.",
        ),
    ),
    "seniorzy": (
        ("10", "1"),
        (
            "Aktywizujemy seniorów: prowadzimy klub seniora, zajęcia ruchowe i kursy komputerowe dla osób starszych.",
            "Organizujemy wykłady, wycieczki i spotkania integracyjne dla seniorów {loc}.",
            "Pomagamy osobom starszym i samotnym w codziennych sprawach.",
            "Nasi członkowie to emeryci i renciści, którzy chcą być aktywni i potrzebni.",
        ),
    ),
    "ekologia": (
        ("18", "14"),
        (
            "Chronimy przyrodę {region_gen}: sadzimy drzewa, sprzątamy lasy i brzegi rzek.",
            "Prowadzimy edukację ekologiczną w szkołach i przedszkolach.",
            "Chronimy ptaki, nietoperze i płazy oraz ich siedliska.",
            "Promujemy segregację odpadów, odnawialne źródła energii i oszczędzanie wody.",
        ),
    ),
    "zwierzeta": (
        ("18",),
        (
            "Prowadzimy przytulisko dla bezdomnych psów i kotów i szukamy im nowych domów.",
            "Finansujemy sterylizację, szczepienia i leczenie zwierząt.",
            "Uczymy dzieci odpowiedzialnej opieki nad zwierzętami.",
        ),
    ),
    "pomoc": (
        ("1", "3"),
        (
            "Pomagamy rodzinom w trudnej sytuacji życiowej: wydajemy żywność, odzież i środki czystości.",
            "Prowadzimy jadłodajnię i punkt pomocy dla osób bezdomnych.",
            "Wspieramy osoby samotne, chore i ubogie {gmina_loc}.",
            "Organizujemy zbiórki żywności i paczki świąteczne dla potrzebujących.",
        ),
    ),
    "niepelnosprawni": (
        ("7", "6"),
        (
            "Wspieramy osoby z niepełnosprawnościami i ich rodziny: prowadzimy rehabilitację i terapię zajęciową.",
            "Prowadzimy warsztaty terapii zajęciowej i dowozimy uczestników na zajęcia.",
            "Usuwamy bariery architektoniczne i pomagamy osobom niepełnosprawnym znaleźć pracę.",
            "Organizujemy turnusy rehabilitacyjne i integracyjne spotkania rodzin.",
        ),
    ),
    "zdrowie": (
        ("6",),
        (
            "Promujemy zdrowie i profilaktykę: organizujemy bezpłatne badania i akcje honorowego krwiodawstwa.",
            "Wspieramy chorych na nowotwory i ich bliskich.",
            "Prowadzimy hospicjum domowe i wypożyczalnię sprzętu rehabilitacyjnego.",
            "Uczymy pierwszej pomocy w szkołach i zakładach pracy.",
        ),
    ),
    "uzaleznienia": (
        ("32",),
        (
            "Przeciwdziałamy uzależnieniom: prowadzimy grupy wsparcia i punkt konsultacyjny.",
            "Prowadzimy profilaktykę uzależnień wśród młodzieży szkolnej.",
        ),
    ),
    "rodzina": (
        ("31", "1a"),
        (
            "Wspieramy rodziny wielodzietne i rodziny zastępcze.",
            "Prowadzimy poradnictwo rodzinne i warsztaty dla rodziców.",
        ),
    ),
    "straz": (
        ("23", "20"),
        (
            "Gasimy pożary, ratujemy poszkodowanych w wypadkach drogowych i pomagamy podczas powodzi.",
            "Prowadzimy młodzieżową drużynę pożarniczą i uczymy dzieci zasad bezpieczeństwa.",
            "Dbamy o remizę, sprzęt i samochody ratownicze, a strażacy ochotnicy regularnie się szkolą.",
            "Organizujemy zawody sportowo-pożarnicze i festyny strażackie.",
            "Strażacy ochotnicy {loc} działają od {year} roku.",
        ),
    ),
    "kgw": (
        ("13", "4", "16"),
        (
            "Kultywujemy tradycje kulinarne i ludowe naszej wsi.",
            "Organizujemy dożynki, festyny, kiermasze i warsztaty rękodzieła.",
            "Gospodynie {loc} pieką kołocz, przygotowują potrawy regionalne i wieńce dożynkowe.",
            "Integrujemy mieszkańców i wspieramy kobiety z obszarów wiejskich.",
        ),
    ),
    "mniejszosc": (
        ("5", "16"),
        (
            "Pielęgnujemy język niemiecki i kulturę mniejszości niemieckiej na Śląsku Opolskim.",
            "Prowadzimy kursy języka niemieckiego dla dzieci i dorosłych.",
            "Organizujemy spotkania, koncerty i wyjazdy do partnerskich gmin w Niemczech.",
        ),
    ),
    "turystyka": (
        ("19", "18"),
        (
            "Wytyczamy i znakujemy szlaki turystyczne, organizujemy rajdy piesze i rowerowe.",
            "Promujemy turystykę wiejską i agroturystykę {gmina_loc}.",
            "Prowadzimy punkt informacji turystycznej i wydajemy przewodniki po okolicy.",
        ),
    ),
    "zatrudnienie": (
        ("2", "8"),
        (
            "Zatrudniamy osoby zagrożone wykluczeniem społecznym i pomagamy im wrócić na rynek pracy.",
            "Świadczymy usługi porządkowe i cateringowe oraz pielęgnujemy tereny zielone.",
            "Prowadzimy szkolenia zawodowe i doradztwo dla bezrobotnych.",
        ),
    ),
    "wolontariat": (
        ("27",),
        (
            "Prowadzimy centrum wolontariatu, które łączy wolontariuszy z organizacjami i instytucjami.",
            "Szkolimy wolontariuszy i koordynatorów wolontariatu w szkołach.",
        ),
    ),
    "kombatanci": (
        ("29", "4"),
        (
            "Zrzeszamy kombatantów i osoby represjonowane oraz ich rodziny.",
            "Dbamy o miejsca pamięci i opowiadamy młodzieży o historii.",
        ),
    ),
    "charytatywna": (
        ("3", "1"),
        (
            "Prowadzimy działalność charytatywną: pomagamy ubogim, chorym i samotnym.",
            "Prowadzimy stację opieki, świetlicę dla dzieci i jadłodajnię.",
            "Organizujemy wakacyjny wypoczynek dla dzieci i młodzieży.",
        ),
    ),
    "prawa": (
        ("22", "1b"),
        (
            "Udzielamy nieodpłatnej pomocy prawnej i poradnictwa obywatelskiego.",
            "Uczymy młodzież o prawach człowieka i demokracji.",
            "Prowadzimy punkt nieodpłatnej pomocy prawnej {loc}.",
        ),
    ),
    "europa": (
        ("26",),
        (
            "Rozwijamy współpracę z miastami partnerskimi w Niemczech i Czechach.",
            "Organizujemy wymiany młodzieży w ramach programu Erasmus+.",
        ),
    ),
    "cudzoziemcy": (
        ("5a",),
        (
            "Pomagamy cudzoziemcom, w tym uchodźcom z Ukrainy: uczymy języka polskiego i pomagamy w sprawach urzędowych.",
        ),
    ),
    "ngo": (
        ("33",),
        (
            "Wspieramy organizacje pozarządowe: doradzamy w sprawach prawnych i księgowych i pomagamy pisać wnioski o dotacje.",
        ),
    ),
    "gospodarka": (
        ("11", "12"),
        (
            "Wspieramy przedsiębiorczość, lokalnych rzemieślników i producentów żywności.",
            "Prowadzimy inkubator przedsiębiorczości i szkolenia dla osób zakładających firmę.",
        ),
    ),
}


# ---------------------------------------------------------------------------------------------
# Kinds of organisations: legal form, share (per mille), where (town or village), themes, names.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    key: str
    legal_form: str
    weight: float
    rural: bool  # True: mostly villages and rural gminas (OSP, KGW, LZS)
    themes: tuple[str, ...]
    # Name templates (placeholders: see `_organisation`); "theme|template" fixes the main theme.
    names: tuple[str, ...]
    founded: tuple[int, int, int]  # earliest year, latest year, mode year (triangular)
    opp: float = 0.08  # share of public benefit organisations
    short: str = ""  # template of the short name


KINDS = (
    Kind(
        "stow_rozwoj",
        LegalForm.ASSOCIATION,
        110,
        False,
        ("rozwoj", "kultura", "turystyka"),
        (
            "Stowarzyszenie Przyjaciół {ziemi}",
            "rozwoj|Stowarzyszenie na rzecz Rozwoju {gmina_gen_cap}",
            "rozwoj|Stowarzyszenie Odnowy Wsi {vgen}",
            "rozwoj|Stowarzyszenie Rozwoju Wsi {vnom}",
            "Towarzystwo Miłośników {ziemi}",
            "Towarzystwo Przyjaciół {gen}",
            "Stowarzyszenie „{q}” {loc}",
            "rozwoj|Stowarzyszenie Mieszkańców {vgen}",
        ),
        (1989, 2024, 2008),
        opp=0.07,
    ),
    Kind(
        "stow_kultura",
        LegalForm.ASSOCIATION,
        60,
        False,
        ("kultura", "dzieci", "mniejszosc"),
        (
            "Stowarzyszenie Kulturalne „{q}”",
            "kultura|Towarzystwo Muzyczne im. {patron} {loc}",
            "kultura|Stowarzyszenie Artystyczne „{q}” {loc}",
            "kultura|Stowarzyszenie Orkiestra Dęta {loc}",
            "kultura|Zespół Pieśni i Tańca „{q}”",
            "kultura|Stowarzyszenie Miłośników Historii {gen}",
            "Towarzystwo Kulturalne „{q}” {loc}",
        ),
        (1989, 2024, 2010),
    ),
    Kind(
        "stow_social",
        LegalForm.ASSOCIATION,
        80,
        False,
        ("pomoc", "niepelnosprawni", "dzieci", "zdrowie", "uzaleznienia", "rodzina"),
        (
            "dzieci|Stowarzyszenie Pomocy Dzieciom „{q}”",
            "niepelnosprawni|Stowarzyszenie Rodzin i Przyjaciół Osób Niepełnosprawnych {loc}",
            "zdrowie|Stowarzyszenie Amazonek {loc}",
            "niepelnosprawni|Stowarzyszenie na rzecz Osób Niepełnosprawnych „{q}”",
            "dzieci|Towarzystwo Przyjaciół Dzieci – Oddział {loc}",
            "uzaleznienia|Stowarzyszenie Pomocy Osobom Uzależnionym „{q}”",
            "rodzina|Stowarzyszenie Rodzin Zastępczych „{q}”",
            "pomoc|Stowarzyszenie Pomocy Bliźniemu „{q}” {loc}",
        ),
        (1990, 2024, 2008),
        opp=0.18,
    ),
    Kind(
        "stow_seniorzy",
        LegalForm.ASSOCIATION,
        40,
        False,
        ("seniorzy", "kultura", "zdrowie"),
        (
            "seniorzy|Stowarzyszenie Uniwersytet Trzeciego Wieku {loc}",
            "seniorzy|Stowarzyszenie Seniorów „{q}” {loc}",
            "seniorzy|Polski Związek Emerytów, Rencistów i Inwalidów – Koło {loc}",
            "seniorzy|Stowarzyszenie Aktywnych Seniorów {gen}",
        ),
        (1995, 2024, 2014),
        opp=0.04,
    ),
    Kind(
        "stow_eko",
        LegalForm.ASSOCIATION,
        30,
        False,
        ("ekologia", "zwierzeta", "turystyka"),
        (
            "ekologia|Stowarzyszenie Ekologiczne „{q}”",
            "ekologia|Towarzystwo Ochrony Przyrody „{q}”",
            "zwierzeta|Stowarzyszenie Przyjaciół Zwierząt „{q}” {loc}",
            "turystyka|Klub Turystyki Rowerowej „{q}” {loc}",
            "turystyka|Stowarzyszenie Turystyczne „{q}”",
            "turystyka|Stowarzyszenie Agroturystyczne {ziemi}",
        ),
        (1990, 2024, 2012),
        opp=0.1,
    ),
    Kind(
        "stow_mniejszosc",
        LegalForm.ASSOCIATION,
        20,
        True,
        ("mniejszosc", "kultura", "europa"),
        (
            "mniejszosc|Stowarzyszenie Mniejszości Niemieckiej {loc}",
            "mniejszosc|Związek Młodzieży Mniejszości Niemieckiej – Koło {loc}",
            "mniejszosc|Stowarzyszenie Kultury Niemieckiej {loc}",
        ),
        (1990, 2020, 1995),
        opp=0.03,
    ),
    Kind(
        "stow_edukacja",
        LegalForm.ASSOCIATION,
        40,
        False,
        ("edukacja", "dzieci", "europa"),
        (
            "edukacja|Stowarzyszenie Przyjaciół Szkoły {loc}",
            "Stowarzyszenie na rzecz Edukacji „{q}”",
            "edukacja|Stowarzyszenie Rodziców i Nauczycieli „{q}”",
            "Stowarzyszenie Edukacyjne „{q}” {loc}",
            "edukacja|Stowarzyszenie Oświatowe {vgen}",
        ),
        (1991, 2024, 2010),
        opp=0.06,
    ),
    Kind(
        "stow_zwiazek",
        LegalForm.ASSOCIATION,
        15,
        False,
        ("kombatanci", "ngo", "rozwoj", "wolontariat", "prawa"),
        (
            "rozwoj|Lokalna Grupa Działania „{q}”",
            "ngo|Związek Stowarzyszeń „{q}”",
            "kombatanci|Związek Sybiraków – Koło {loc}",
            "kombatanci|Związek Kombatantów RP i Byłych Więźniów Politycznych – Koło {loc}",
            "dzieci|Związek Harcerstwa Polskiego – Hufiec {ziemi}",
            "wolontariat|Centrum Wolontariatu {loc}",
            "prawa|Stowarzyszenie Klub Praw Człowieka „{q}”",
        ),
        (1990, 2023, 2006),
        opp=0.2,
    ),
    Kind(
        "fundacja",
        LegalForm.FOUNDATION,
        200,
        False,
        (
            "pomoc",
            "dzieci",
            "edukacja",
            "kultura",
            "zdrowie",
            "niepelnosprawni",
            "ekologia",
            "zwierzeta",
            "rozwoj",
            "seniorzy",
            "zatrudnienie",
            "prawa",
            "cudzoziemcy",
            "gospodarka",
            "ngo",
            "wolontariat",
        ),
        (
            "Fundacja {field} „{q}”",
            "Fundacja {field} „{q}”",
            "Fundacja „{q}”",
            "Fundacja „{q}”",
            "Fundacja „{q}” {loc}",
            "Fundacja {field} {ziemi}",
            "Fundacja {field} im. {patron}",
            "Fundacja im. {patron}",
            "rozwoj|Fundacja Rozwoju {ziemi}",
            "Fundacja na rzecz {gen}",
            "Fundacja {region_adj} Centrum {centre}",
            "Fundacja {field} „{q}” {loc}",
        ),
        (1990, 2024, 2017),
        opp=0.1,
    ),
    Kind(
        "osp",
        LegalForm.VOLUNTEER_FIRE_BRIGADE,
        100,
        True,
        ("straz",),
        ("Ochotnicza Straż Pożarna {vloc}",),
        (1945, 2012, 1950),
        opp=0.05,
        short="OSP {vnom}",
    ),
    Kind(
        "kgw",
        LegalForm.RURAL_HOUSEWIVES_CIRCLE,
        70,
        True,
        ("kgw",),
        (
            "Koło Gospodyń Wiejskich {vloc}",
            "Koło Gospodyń Wiejskich „{kgw}” {vloc}",
        ),
        (1950, 2024, 2019),
        opp=0.0,
        short="KGW {vnom}",
    ),
    Kind(
        "klub",
        LegalForm.SPORTS_CLUB,
        45,
        False,
        ("sport",),
        (
            "Klub Sportowy „{sport}” {town}",
            "Miejski Klub Sportowy {town}",
            "Gminny Klub Sportowy „{sport}” {town}",
            "Klub Piłkarski „{sport}” {town}",
            "dyscyplina|Klub Karate Kyokushin {town}",
            "dyscyplina|Klub Tenisa Stołowego „{sport}” {town}",
            "dyscyplina|Klub Pływacki „{sport}” {town}",
            "Klub Sportowy „{sport}” {loc}",
        ),
        (1945, 2024, 1995),
        opp=0.03,
        short="KS {sport}",
    ),
    Kind(
        "lzs",
        LegalForm.SPORTS_CLUB,
        35,
        True,
        ("sport",),
        (
            "Ludowy Zespół Sportowy „{sport}” {vnom}",
            "Ludowy Klub Sportowy „{sport}” {vnom}",
        ),
        (1946, 2015, 1960),
        opp=0.01,
        short="LZS {sport}",
    ),
    Kind(
        "uks",
        LegalForm.STUDENT_SPORTS_CLUB,
        40,
        False,
        ("sport", "dzieci"),
        (
            "Uczniowski Klub Sportowy „{sport}” {loc}",
            "Uczniowski Klub Sportowy „{sport}” {town}",
            "Uczniowski Klub Sportowy „{sport}” przy Szkole Podstawowej nr {n} {loc}",
        ),
        (1992, 2024, 2005),
        opp=0.02,
        short="UKS {sport}",
    ),
    Kind(
        "zwykle",
        LegalForm.ORDINARY_ASSOCIATION,
        55,
        False,
        ("rozwoj", "kultura", "seniorzy"),
        (
            "Stowarzyszenie Zwykłe „{q}”",
            "kultura|Grupa Rekonstrukcji Historycznej „{q}”",
            "seniorzy|Klub Seniora „{q}” {loc}",
            "rozwoj|Stowarzyszenie Zwykłe Mieszkańców {vgen}",
            "Stowarzyszenie Zwykłe Przyjaciół {gen}",
            "dyscyplina|Klub Biegacza „{q}” {town}",
        ),
        (2000, 2024, 2019),
        opp=0.0,
    ),
    Kind(
        "koscielna",
        LegalForm.CHURCH_LEGAL_PERSON,
        20,
        False,
        ("charytatywna", "pomoc", "dzieci", "seniorzy"),
        (
            "Parafia Rzymskokatolicka pw. {saint} {vloc}",
            "Parafia Ewangelicko-Augsburska {loc}",
            "charytatywna|Caritas Parafii pw. {saint} {loc}",
            "Zgromadzenie Sióstr Miłosierdzia – Dom Zakonny {loc}",
        ),
        (1945, 2010, 1990),
        opp=0.25,
    ),
    Kind(
        "spoldzielnia",
        LegalForm.SOCIAL_COOPERATIVE,
        15,
        False,
        ("zatrudnienie", "pomoc", "ekologia"),
        (
            "zatrudnienie|Spółdzielnia Socjalna „{q}”",
            "zatrudnienie|Spółdzielnia Socjalna „{q}” {loc}",
            "zatrudnienie|Spółdzielnia Socjalna Osób Prawnych „{q}”",
        ),
        (2006, 2024, 2016),
        opp=0.02,
    ),
    Kind(
        "spolka",
        LegalForm.NON_PROFIT_COMPANY,
        5,
        False,
        ("zatrudnienie", "zdrowie", "sport", "gospodarka"),
        (
            "pomoc|Centrum Usług Społecznych „{q}” sp. z o.o. non profit",
            "gospodarka|Agencja Rozwoju Lokalnego „{q}” sp. z o.o.",
            "sport|Ośrodek Sportu i Rekreacji „{sport}” sp. z o.o. non profit",
        ),
        (2004, 2024, 2015),
        opp=0.05,
    ),
    Kind(
        "inny",
        LegalForm.OTHER,
        5,
        False,
        ("rozwoj", "turystyka", "gospodarka"),
        (
            "rozwoj|Stowarzyszenie Gmin {ziemi}",
            "rozwoj|Związek Gmin „{q}”",
        ),
        (1991, 2020, 2000),
        opp=0.02,
    ),
)

# Kinds whose number in a starosta's register carries a prefix.
STAROSTA_PREFIX = {"zwykle": "SZ", "uks": "UKS", "klub": "KS", "lzs": "KS"}
# Branches of nationwide associations: a 14-digit REGON of a local unit.
BRANCH_MARKERS = ("– Oddział", "– Koło", "– Hufiec")
# KRS numbers grow with time; (date, number) points, roughly what the register reached.
KRS_TIMELINE = [
    (date(2001, 1, 1), 1),
    (date(2005, 1, 1), 225_000),
    (date(2010, 1, 1), 345_000),
    (date(2015, 1, 1), 545_000),
    (date(2020, 1, 1), 825_000),
    (date(2025, 6, 30), 1_150_000),
]


# ---------------------------------------------------------------------------------------------
# Identifiers.
# ---------------------------------------------------------------------------------------------
NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)


def nip_check_digit(first9: str) -> int | None:
    """The NIP check digit of the first nine digits, or None when it would be 10 (no valid NIP)."""
    check = sum(w * int(d) for w, d in zip(NIP_WEIGHTS, first9)) % 11
    return None if check == 10 else check


@dataclass
class TakenIdentifiers:
    """Identifiers already used (KRS, NIP, REGON); the generator adds those it hands out."""

    krs: set[str] = field(default_factory=set)
    nip: set[str] = field(default_factory=set)
    regon: set[str] = field(default_factory=set)

    @classmethod
    def from_database(cls) -> TakenIdentifiers:
        taken = cls()
        for krs, nip, regon in Organisation.objects.values_list("krs", "nip", "regon").iterator(chunk_size=10_000):
            if krs:
                taken.krs.add(krs)
            if nip:
                taken.nip.add(nip)
            if regon:
                taken.regon.add(regon)
        return taken


class _Identifiers:
    """Unique KRS, NIP and REGON numbers, each from its own random stream."""

    def __init__(self, seed: int, taken: TakenIdentifiers):
        self.taken = taken
        self.krs_rng = random.Random(f"{seed}:krs")
        self.nip_rng = random.Random(f"{seed}:nip")
        self.regon_rng = random.Random(f"{seed}:regon")

    def krs(self, registered: date) -> str:
        number = _krs_number_at(registered) + self.krs_rng.randrange(3_000)
        while f"{number:010d}" in self.taken.krs:
            number += 1
        value = f"{number:010d}"
        self.taken.krs.add(value)
        return value

    def nip(self, powiat_teryt: str) -> str:
        prefix = NIP_PREFIXES.get(powiat_teryt) or str(self.nip_rng.randrange(101, 999))
        while True:
            body = prefix + f"{self.nip_rng.randrange(1_000_000):06d}"
            check = nip_check_digit(body)
            if check is not None and (value := f"{body}{check}") not in self.taken.nip:
                self.taken.nip.add(value)
                return value

    def regon(self, founded: date, voivodeship: str, *, branch: bool) -> str:
        rng = self.regon_rng
        while True:
            if founded.year < 1999:
                prefix = "53" if voivodeship == "16" else f"{rng.randrange(1, 99):02d}"
            elif founded.year < 2016:
                prefix = voivodeship
            else:
                prefix = rng.choice(("36", "38"))
            body = prefix + f"{rng.randrange(1_000_000):06d}"
            value = body + stdnum_regon.calc_check_digit(body)
            if branch:
                body14 = value + f"{rng.randrange(1, 10_000):04d}"
                value = body14 + stdnum_regon.calc_check_digit(body14)
            if value not in self.taken.regon:
                self.taken.regon.add(value)
                return value


def _krs_number_at(day: date) -> int:
    for (d0, n0), (d1, n1) in itertools.pairwise(KRS_TIMELINE):
        if day <= d1:
            day = max(day, d0)
            return n0 + int((n1 - n0) * (day - d0).days / (d1 - d0).days)
    return KRS_TIMELINE[-1][1]


# ---------------------------------------------------------------------------------------------
# The generator.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Gmina:
    unit: Any  # TerritorialUnit
    powiat: Any  # TerritorialUnit or None
    voivodeship: Any  # TerritorialUnit or None
    loc: str  # "w Nysie"
    gen: str  # "Nysy" (or "gminy X")
    gen_title: str  # "Nysy" (or "Gminy X"), for names
    ziemi: str  # "Ziemi Nyskiej" or "Gminy Nysa"
    villages: tuple[tuple[str, str, str], ...]
    german: bool
    town_weight: float
    rural_weight: float


def _capitalise_words(text: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in text.split("-"))


class _Context:
    """Reference data read once: gminas with their names and weights, spheres by number."""

    def __init__(self):
        from ngo_platform.territory.models import SphereCatalogue, TerritorialUnit, UnitLevel

        units = {unit.pk: unit for unit in TerritorialUnit.objects.order_by("teryt")}
        gminas = []
        for unit in units.values():
            if unit.level != UnitLevel.GMINA:
                continue
            powiat = units.get(unit.parent_id)
            voivodeship = units.get(powiat.parent_id) if powiat is not None else None
            known = PLACES.get(unit.teryt)
            city_with_powiat_rights = in_city_with_powiat_rights(unit.teryt)
            if known:
                loc, gen, adjective, population = known
            else:
                loc, gen, adjective = f"w gminie {unit.name}", f"gminy {unit.name}", ""
                population = {1: 20.0, 2: 5.0, 3: 10.0}.get(unit.gmina_type or 2, 5.0)
                if city_with_powiat_rights:
                    population = 100.0
            ziemi = f"Ziemi {adjective}" if adjective else f"Gminy {unit.name}"
            rural_share = {1: 0.05, 2: 1.0, 3: 0.6}.get(unit.gmina_type or 2, 1.0)
            gminas.append(
                _Gmina(
                    unit=unit,
                    powiat=powiat,
                    voivodeship=voivodeship,
                    loc=loc,
                    gen=gen,
                    gen_title=gen if known else f"Gminy {unit.name}",
                    ziemi=ziemi,
                    villages=tuple(VILLAGES.get(unit.teryt, ())),
                    german=bool(unit.german_auxiliary_language or unit.name_de),
                    town_weight=population**1.15,
                    rural_weight=population * rural_share,
                )
            )
        if not gminas:
            raise RuntimeError("No gminas are loaded: run `ngo-platform load_reference_data` first.")
        self.gminas = gminas
        self.town_cum = list(itertools.accumulate(g.town_weight for g in gminas))
        self.rural_cum = list(itertools.accumulate(g.rural_weight for g in gminas))
        self.german_gminas = [g for g in gminas if g.german] or gminas
        catalogue = SphereCatalogue.objects.order_by("-effective_from", "-pk").first()
        self.spheres = {s.number: s for s in catalogue.spheres.all()} if catalogue else {}
        self.kind_cum = list(itertools.accumulate(k.weight for k in KINDS))


def _pick(rng: random.Random, items, cum):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


def _triangular_date(rng: random.Random, first: int, last: int, mode: int) -> date:
    year = int(rng.triangular(first, last + 0.999, mode))
    start = date(year, 1, 1)
    day = start + timedelta(days=rng.randrange(365))
    return min(day, TODAY - timedelta(days=30))


def _random_date_between(rng: random.Random, first: date, last: date) -> date:
    span = (last - first).days
    return first + timedelta(days=rng.randrange(span + 1)) if span > 0 else first


def generate(
    count: int, *, seed: int = DEFAULT_SEED, taken: TakenIdentifiers | None = None
) -> Iterator[dict[str, Any]]:
    """Yield `count` organisations as cleaned data for `services.organisation_create`.

    `taken` holds identifiers that must not be handed out (e.g. `TakenIdentifiers.from_database()`);
    it is updated with the generated ones.
    """
    context = _Context()
    rng = random.Random(seed)
    identifiers = _Identifiers(seed, taken if taken is not None else TakenIdentifiers())
    starosta_numbers: dict[tuple[str, str], int] = {}
    for _ in range(count):
        yield _organisation(rng, context, identifiers, starosta_numbers)


def _organisation(rng: random.Random, ctx: _Context, ids: _Identifiers, starosta_numbers) -> dict[str, Any]:
    kind = _pick(rng, KINDS, ctx.kind_cum)
    if kind.key == "stow_mniejszosc":
        gmina = rng.choice(ctx.german_gminas)
    elif kind.rural:
        gmina = _pick(rng, ctx.gminas, ctx.rural_cum)
    else:
        gmina = _pick(rng, ctx.gminas, ctx.town_cum)
    unit = gmina.unit
    # A village of the gmina for rural kinds (or its seat); the town itself for the others.
    village = None
    if gmina.villages and rng.random() < (0.85 if kind.rural else 0.1):
        village = rng.choice(gmina.villages)
    vnom, vloc, vgen = village or (unit.name, gmina.loc, gmina.gen)
    vgen_title = village[2] if village else gmina.gen_title
    founded = _triangular_date(rng, *kind.founded)
    voivodeship = gmina.voivodeship.teryt if gmina.voivodeship is not None else unit.teryt[:2]
    region_gen = "Śląska Opolskiego" if voivodeship == "16" else "naszego regionu"
    region_adj = "Opolskie" if voivodeship == "16" else "Regionalne"

    # Name.
    themes = list(kind.themes)
    templates = kind.names
    if village is None and unit.gmina_type != 2:  # no "Odnowy Wsi Opola": towns are not villages
        templates = tuple(t for t in templates if "Wsi" not in t) or templates
    template = rng.choice(templates)
    template_theme, _, template = template.rpartition("|")
    field_name, field_themes = rng.choice(FIELDS_OF_FOUNDATION)
    centre = rng.choice(
        (
            "Wolontariatu",
            "Inicjatyw Społecznych",
            "Edukacji Ekologicznej",
            "Wsparcia Rodziny",
            "Aktywności Lokalnej",
            "Integracji Społecznej",
        )
    )
    if "{field}" in template:
        themes = list(field_themes) + themes
    elif "{centre}" in template:
        themes = [
            {
                "Wolontariatu": "wolontariat",
                "Edukacji Ekologicznej": "ekologia",
                "Wsparcia Rodziny": "rodzina",
                "Integracji Społecznej": "pomoc",
            }.get(centre, "rozwoj")
        ] + themes
    sport = rng.choice(SPORT_NAMES)
    values = {
        "q": rng.choice(QUOTED),
        "sport": sport,
        "kgw": rng.choice(KGW_NAMES),
        "saint": rng.choice(SAINTS),
        "patron": rng.choice(PATRONS),
        "field": field_name,
        "centre": centre,
        "region_adj": region_adj,
        "loc": gmina.loc,
        "gen": gmina.gen_title,
        "ziemi": gmina.ziemi,
        "town": unit.name,
        "gmina_gen_cap": f"Gminy {unit.name}",
        "vnom": vnom,
        "vloc": vloc,
        "vgen": vgen_title,
        "n": rng.randint(1, 6),
    }
    name = " ".join(template.format(**values).split())
    short_name = kind.short.format(**values) if kind.short and rng.random() < 0.7 else ""
    if not short_name and kind.key == "fundacja" and "{q}" in template and rng.random() < 0.5:
        short_name = f"Fundacja {values['q']}"

    # Themes, spheres and description.
    if template_theme:
        themes = [template_theme] + themes
    fixed = template_theme or "{field}" in template or "{centre}" in template
    primary = themes[0] if fixed else rng.choice(themes)
    others = [t for t in dict.fromkeys(themes) if t != primary and primary != "dyscyplina"]
    if kind.key == "fundacja":  # a foundation's field decides; the long list of themes is only for variety
        others = [t for t in dict.fromkeys(field_themes if "{field}" in template else others) if t != primary]
        extra = rng.choice((0, 0, 0, 1))
    else:
        extra = rng.choice((0, 0, 1, 1, 2))
    chosen = [primary] + rng.sample(others, k=min(len(others), extra))
    sphere_numbers: list[str] = []
    for theme in chosen:
        numbers = THEMES[theme][0]
        sphere_numbers.append(numbers[0])
        sphere_numbers.extend(n for n in numbers[1:] if rng.random() < 0.35)
    sphere_numbers = list(dict.fromkeys(sphere_numbers))[:4]
    spheres = [ctx.spheres[n] for n in sphere_numbers if n in ctx.spheres]
    placeholders = {
        "loc": vloc,
        "gen": vgen,
        "gmina_gen": f"gminy {unit.name}",
        "gmina_loc": f"w gminie {unit.name}",
        "region_gen": region_gen,
        "year": founded.year,
    }
    sentences = [rng.choice(THEMES[primary][1])]
    pool = [s for theme in chosen for s in THEMES[theme][1] if s not in sentences]
    for _ in range(rng.choice((0, 1, 1, 2, 2))):
        if not pool:
            break
        sentence = rng.choice(pool)
        pool.remove(sentence)
        sentences.append(sentence)
    sentences = [s.format(**placeholders) for s in sentences]
    description = " ".join(sentences)
    description_short = sentences[0] if len(sentences[0]) <= 300 else sentences[0][:297] + "…"

    # Register and identifiers (domain.md §E).
    is_opp = rng.random() < kind.opp
    register, registry_number, registry_authority = Register.KRS, "", ""
    if kind.key in ("zwykle", "uks") or (kind.key in ("klub", "lzs") and rng.random() < 0.35):
        if not is_opp:  # ordinary associations and student clubs appear in KRS only as OPP
            register = Register.STAROSTA
    elif kind.key == "kgw":
        register = Register.OTHER
        registry_number = f"{rng.randrange(1, 12_000)}"
        registry_authority = "Prezes Agencji Restrukturyzacji i Modernizacji Rolnictwa"
    elif kind.key == "koscielna" and not is_opp:
        register = Register.OTHER
    if register == Register.STAROSTA:
        powiat = gmina.powiat
        registry_authority = _starosta(powiat)
        key = (powiat.teryt if powiat else unit.teryt, STAROSTA_PREFIX.get(kind.key, "S"))
        starosta_numbers[key] = starosta_numbers.get(key, 0) + 1
        registry_number = f"{key[1]}/{starosta_numbers[key]}/{max(founded.year, 1990)}"
    krs = None
    if register == Register.KRS:
        # Older organisations moved into KRS when it opened (2001–2004).
        registered = founded
        if founded < date(2001, 1, 1):
            registered = _random_date_between(rng, date(2001, 6, 1), date(2004, 12, 31))
        krs = ids.krs(registered)
    branch = any(marker in name for marker in BRANCH_MARKERS)
    has_regon = rng.random() < (0.97 if register == Register.KRS else 0.85)
    regon = ids.regon(founded, voivodeship, branch=branch) if has_regon else None
    powiat_teryt = gmina.powiat.teryt if gmina.powiat is not None else unit.teryt[:4]
    nip = ids.nip(powiat_teryt) if rng.random() < (0.92 if register == Register.KRS else 0.7) else None
    opp_since = None
    if is_opp:
        first = max(date(2004, 1, 1), founded + timedelta(days=365))
        opp_since = _random_date_between(rng, first, TODAY - timedelta(days=60)) if first < TODAY else None
        is_opp = opp_since is not None

    # Address and contact.
    prefixes = POSTAL_PREFIXES.get(powiat_teryt) or [f"{rng.randrange(0, 99):02d}-{rng.randrange(0, 9)}"]
    postal_code = f"{rng.choice(prefixes)}{rng.randrange(0, 100):02d}"
    street = f"{rng.choice(STREETS)} {rng.randint(1, 60)}" + (rng.choice(("", "", "", "a", "/2", "/4")))
    if kind.key == "osp" and rng.random() < 0.5:
        street = f"ul. Strażacka {rng.randint(1, 20)}"
    handle = _handle(short_name or name)
    website = f"https://www.{handle}.example/" if rng.random() < 0.35 else ""
    email = ""
    if rng.random() < 0.6:
        email = f"{rng.choice(('kontakt', 'biuro', 'zarzad', 'sekretariat'))}@{handle}.example"
    phone = ""
    roll = rng.random()
    if roll < 0.15:  # a landline: area code and 7 digits
        area = "77" if voivodeship == "16" else f"{rng.randrange(12, 95)}"
        phone = f"+48 {area} {rng.randrange(400, 500)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}"
    elif roll < 0.35:  # a mobile
        mobile = rng.choice(("50", "51", "53", "60", "66", "69", "72", "78", "79", "88"))
        phone = f"+48 {mobile}{rng.randrange(10)} {rng.randrange(100, 1000)} {rng.randrange(100, 1000)}"

    status = OrganisationStatus.ACTIVE
    roll = rng.random()
    if roll < 0.015:
        status = OrganisationStatus.IN_LIQUIDATION
    elif roll < 0.02:
        status = OrganisationStatus.SUSPENDED
    elif roll < 0.03:
        status = OrganisationStatus.STRUCK_OFF

    areas = []
    roll = rng.random()
    if roll < 0.15:
        areas = [unit]
    elif roll < 0.25 and gmina.powiat is not None:
        areas = [gmina.powiat]
    elif roll < 0.28 and gmina.voivodeship is not None:
        areas = [gmina.voivodeship]

    return {
        "name": name,
        "short_name": short_name,
        "legal_form": kind.legal_form,
        "register": register,
        "registry_number": registry_number,
        "registry_authority": registry_authority,
        "krs": krs,
        "nip": nip,
        "regon": regon,
        "street": street,
        "postal_code": postal_code,
        "city": vnom,
        "seat": unit,
        "is_opp": is_opp,
        "opp_since": opp_since,
        "description_short": description_short,
        "description": description,
        "website": website,
        "email": email,
        "phone": phone,
        "founded_on": founded,
        "status": status,
        "spheres": spheres,
        "areas": areas,
    }


def _handle(name: str) -> str:
    """A domain label from a name: its slug, cut at a word boundary within 40 characters."""
    slug = slugify_pl(name)
    if len(slug) > 40:
        slug = slug[:41].rsplit("-", 1)[0]
    return slug or "organizacja"


def _starosta(powiat) -> str:
    if powiat is None:
        return "Starosta"
    if in_city_with_powiat_rights(powiat.teryt):
        gen = next((p[1] for t, p in PLACES.items() if t.startswith(powiat.teryt)), powiat.name)
        return f"Prezydent Miasta {gen}"
    return f"Starosta {_capitalise_words(powiat.name)}"


# ---------------------------------------------------------------------------------------------
# Fast insert.
# ---------------------------------------------------------------------------------------------
def bulk_insert(
    count: int,
    *,
    seed: int = DEFAULT_SEED,
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Insert `count` generated organisations with their spheres, areas and search entries.

    One transaction (and one audit entry) per batch; returns how many were inserted.
    """
    taken = TakenIdentifiers.from_database()
    slugs = set(Organisation.objects.values_list("slug", flat=True).iterator(chunk_size=10_000))
    next_suffix: dict[str, int] = {}
    rows = generate(count, seed=seed, taken=taken)
    sphere_through = Organisation.spheres.through
    area_through = Organisation.areas.through
    done = 0
    while batch := list(itertools.islice(rows, batch_size)):
        organisations = []
        for data in batch:
            organisation = Organisation(**{f: data[f] for f in SCALAR_FIELDS if f in data})
            organisation.slug = unique_slug(data["name"], slugs, next_suffix)
            organisations.append(organisation)
        with transaction.atomic():
            Organisation.objects.bulk_create(organisations, batch_size=1000)
            sphere_through.objects.bulk_create(
                [
                    sphere_through(organisation_id=organisation.pk, sphere_id=sphere.pk)
                    for organisation, data in zip(organisations, batch)
                    for sphere in data["spheres"]
                ],
                batch_size=5000,
            )
            area_through.objects.bulk_create(
                [
                    area_through(organisation_id=organisation.pk, territorialunit_id=unit.pk)
                    for organisation, data in zip(organisations, batch)
                    for unit in data["areas"]
                ],
                batch_size=5000,
            )
            search.index_organisations(organisations)
            audit_log(
                actor=None,
                action=GENERATE_ACTION,
                details={
                    "seed": seed,
                    "count": len(organisations),
                    "first_id": organisations[0].pk,
                    "last_id": organisations[-1].pk,
                },
            )
        done += len(organisations)
        if progress is not None:
            progress(done, count)
    return done
