"""The import_terc and load_reference_data management commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ngo_platform.territory.models import Authority, TerritorialUnit
from ngo_platform.territory.services import REFERENCE_TERC_FILE


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("empty_territory")
class TestImportTerc:
    def test_prints_a_polish_summary(self):
        output = run("import_terc", str(REFERENCE_TERC_FILE), "--voivodeship", "16")

        assert "Zaimportowano TERC z pliku terc_16_2024-01-01.csv (stan na 2024-01-01)" in output
        assert "nowe 84, zmienione 0, bez zmian 0" in output
        assert "Nowe urzędy: 83." in output
        assert TerritorialUnit.objects.count() == 84

    def test_bad_file_fails_with_the_polish_error(self, tmp_path):
        path = tmp_path / "terc.csv"
        path.write_text(
            "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n16;1;;;brzeski;powiat;2024-01-01\n", encoding="utf-8"
        )

        with pytest.raises(CommandError, match="nic nie zapisano. linia 2: kod POW „1” musi mieć 2 cyfry"):
            run("import_terc", str(path))
        assert not TerritorialUnit.objects.exists()

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="Nie można odczytać pliku"):
            run("import_terc", str(tmp_path / "brak.xml"))


@pytest.mark.usefixtures("empty_territory")
class TestLoadReferenceData:
    def test_first_and_second_run(self):
        first = run("load_reference_data")
        second = run("load_reference_data")

        assert "jednostki nowe 84" in first
        assert "nowe urzędy: 83" in first
        assert "Nazwy niemieckie: zmienione 28" in first
        assert "Wykaz sfer UDPP-art4-2024 (37 punktów): wczytano." in first
        assert "jednostki nowe 0, zmienione 0, bez zmian 84; nowe urzędy: 0." in second
        assert "Nazwy niemieckie: zmienione 0, bez zmian 28." in second
        assert "już był wczytany" in second
        assert Authority.objects.count() == 83
