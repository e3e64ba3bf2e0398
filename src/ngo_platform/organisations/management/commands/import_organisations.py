"""Import organisations from a CSV or XLSX file, synchronously: the sound rows, the refused ones to a CSV file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ngo_platform.organisations import krs
from ngo_platform.organisations.importing import import_run_execute, refused_csv, report_lines
from ngo_platform.organisations.models import ImportRun, ImportState


class Command(BaseCommand):
    help = (
        "Importuje organizacje z pliku CSV albo XLSX (kolumny m.in. nazwa, forma_prawna, krs, nip, regon, "
        "miejscowosc, gmina, opis, www, email, opp). Dopasowuje istniejące organizacje po KRS, NIP, REGON. "
        "Wiersz, który zapisałby błędne dane (zły NIP, powtórzenie, konflikt), odrzuca i zapisuje do pliku "
        "odrzuconych wierszy; brak gminy albo formy prawnej oznacza organizację do uzupełnienia. "
        "--strict: przy jakimkolwiek błędzie nie zapisuje niczego."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="plik CSV (UTF-8 albo Windows-1250, ; lub ,) albo XLSX")
        parser.add_argument(
            "--dry-run", action="store_true", help="tylko sprawdź plik i policz zmiany, niczego nie zapisuj"
        )
        parser.add_argument(
            "--strict", action="store_true", help="wszystko albo nic: przy jakimkolwiek błędzie niczego nie zapisuj"
        )
        parser.add_argument(
            "--z-krs",
            dest="from_krs",
            action="store_true",
            help="uzupełnij braki wierszy z numerem KRS z otwartego API KRS (NGO_KRS_API_URL; jedno zapytanie na wiersz)",
        )
        parser.add_argument(
            "--refused",
            type=Path,
            help="dokąd zapisać odrzucone wiersze (CSV); domyślnie obok pliku: <nazwa>-odrzucone.csv",
        )

    def handle(self, *args, file: Path, dry_run: bool, strict: bool, refused: Path | None, from_krs: bool, **options):
        if not file.is_file():
            raise CommandError(f"Nie ma pliku {file}.")
        if from_krs and not krs.enabled():
            raise CommandError("--z-krs: pobieranie z KRS jest wyłączone (ustaw NGO_KRS_API_URL).")
        run = ImportRun.objects.create(
            source_name=file.name[:255], dry_run=dry_run, strict=strict, state=ImportState.RUNNING
        )

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"przetworzono {done}/{total} wierszy")
            self.stdout.flush()

        run = import_run_execute(run=run, actor=None, source=file, progress=progress, fill_from_krs=from_krs)
        for line in report_lines(run):
            self.stdout.write(line)
        if run.state != ImportState.DONE:
            errors = sum(1 for item in run.report if item.get("level") != "warning")
            raise CommandError(f"Import nieudany, nic nie zapisano: błędów {errors} (lista powyżej).")
        prefix = "Próba (nic nie zapisano): byłoby " if dry_run else "Zaimportowano: "
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}nowe {run.created_count} (w tym do uzupełnienia {run.to_complete_count}), "
                f"zmienione {run.updated_count}, bez zmian {run.unchanged_count}, "
                f"odrzucone {run.refused_count} (wierszy: {run.total_rows})."
            )
        )
        if run.refused_count:
            target = refused or file.with_name(f"{file.stem}-odrzucone.csv")
            target.write_text(refused_csv(run), encoding="utf-8", newline="")
            self.stdout.write(f"Odrzucone wiersze z powodami: {target} (popraw je i zaimportuj ten plik ponownie).")
