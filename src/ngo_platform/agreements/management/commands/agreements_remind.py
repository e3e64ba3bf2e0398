"""E-mail the reminders about final reports: 7 days and 1 day before the due date and once when it is
overdue (the days are `AgreementParameters.reminder_days`). Each reminder is recorded and sent once, so
the command is safe to run as often as you like; once a day is enough (cron or a systemd timer):

    ngo-platform agreements_remind
"""

from django.core.management.base import BaseCommand

from ngo_platform.agreements import services


class Command(BaseCommand):
    help = "Wysyła przypomnienia o sprawozdaniach końcowych (7 dni, 1 dzień przed terminem i po terminie), każde raz."

    def handle(self, *args, **options):
        count = services.reminders_send()
        self.stdout.write(f"Wysłane przypomnienia: {count}")
