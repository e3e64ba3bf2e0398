"""Import a GUS TERC file (CSV or XML from eteryt.stat.gov.pl) into territorial units and authorities."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ngo_platform.territory.services import ReferenceDataError, terc_import


class Command(BaseCommand):
    help = "Importuje rejestr TERC (plik CSV albo XML z eteryt.stat.gov.pl) i tworzy urzędy JST."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="plik TERC (CSV rozdzielany średnikami albo XML)")
        parser.add_argument(
            "--voivodeship",
            metavar="WOJ",
            help="importuj tylko to województwo (2-cyfrowy kod, np. 16)",
        )

    def handle(self, *args, file: Path, voivodeship: str | None, **options):
        try:
            result = terc_import(source=file, voivodeship=voivodeship)
        except ReferenceDataError as error:
            raise CommandError(f"Import TERC przerwany, nic nie zapisano. {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Zaimportowano TERC z pliku {result.source_name} (stan na {result.state_date:%Y-%m-%d}). "
                f"Jednostki: nowe {result.units_created}, zmienione {result.units_updated}, "
                f"bez zmian {result.units_unchanged}; pominięte części gmin: {result.rows_skipped}. "
                f"Nowe urzędy: {result.authorities_created}."
            )
        )
