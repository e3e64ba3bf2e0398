"""Identifiers of generated organisations: unique KRS, NIP and REGON numbers with valid check digits."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date

from stdnum.pl import regon as stdnum_regon

from ngo_platform.organisations.generator_data import NIP_PREFIXES
from ngo_platform.organisations.models import Organisation

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
# KRS numbers grow with time; (date, number) points, roughly what the register reached.
KRS_TIMELINE = [
    (date(2001, 1, 1), 1),
    (date(2005, 1, 1), 225_000),
    (date(2010, 1, 1), 345_000),
    (date(2015, 1, 1), 545_000),
    (date(2020, 1, 1), 825_000),
    (date(2025, 6, 30), 1_150_000),
]


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


class IdentifierStreams:
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
