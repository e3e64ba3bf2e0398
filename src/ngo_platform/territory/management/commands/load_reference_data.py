"""Load the reference data shipped with the platform; safe to run on every deployment."""

from django.core.management.base import BaseCommand, CommandError

from ngo_platform.territory.services import ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = (
        "Wczytuje dane referencyjne: TERC województwa opolskiego, niemieckie nazwy gmin "
        "i wykaz sfer zadań publicznych. Można uruchamiać wielokrotnie."
    )

    def handle(self, *args, **options):
        try:
            result = reference_data_load()
        except ReferenceDataError as error:
            raise CommandError(f"Wczytywanie danych referencyjnych przerwane, nic nie zapisano. {error}") from error
        terc, german, spheres = result.terc, result.german_names, result.spheres
        self.stdout.write(
            f"TERC (stan na {terc.state_date:%Y-%m-%d}): jednostki nowe {terc.units_created}, "
            f"zmienione {terc.units_updated}, bez zmian {terc.units_unchanged}; "
            f"nowe urzędy: {terc.authorities_created}."
        )
        self.stdout.write(f"Nazwy niemieckie: zmienione {german.units_updated}, bez zmian {german.units_unchanged}.")
        state = "wczytano" if spheres.created else "już był wczytany"
        self.stdout.write(f"Wykaz sfer {spheres.catalogue.version} ({spheres.sphere_count} punktów): {state}.")
        self.stdout.write(self.style.SUCCESS("Dane referencyjne są aktualne."))
