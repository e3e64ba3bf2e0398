"""Make the stage changes whose time has come (close nominations, open and close voting with the count).

Run it every few minutes (cron or a systemd timer); the pages also do it when an election is opened.
"""

from django.core.management import BaseCommand

from ngo_platform.elections import services, workflows
from ngo_platform.elections.models import Election


class Command(BaseCommand):
    help = "Przeprowadza zmiany etapów wyborów, których czas nadszedł."

    def handle(self, *args, **options):
        changed = 0
        for election in Election.objects.filter(state__in=list(workflows.TIMED)).select_related("council"):
            before = election.state
            if services.election_advance_due(election=election).state != before:
                changed += 1
        self.stdout.write(f"Zmienione wybory: {changed}")
