"""Print the current TOTP code of a demo account, so a newcomer can sign in as an officer."""

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.management import BaseCommand, CommandError

from ngo_platform.accounts.demo import DEMO_DOMAIN, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Wypisuje bieżący kod TOTP konta demonstracyjnego."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not email.endswith(f"@{DEMO_DOMAIN}"):
            raise CommandError(f"Tylko dla kont demonstracyjnych (@{DEMO_DOMAIN}).")
        counters = list(yield_hotp_counters_from_time())
        current = counters[len(counters) // 2]
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, current)))
