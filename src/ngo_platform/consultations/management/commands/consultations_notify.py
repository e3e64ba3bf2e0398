"""Open and close consultations whose time has come, then e-mail their followers (idempotent; for cron).

ngo-platform consultations_notify            # every 10–15 minutes: separate e-mails
ngo-platform consultations_notify --digest   # once a day: the daily digests
"""

from django.core.management.base import BaseCommand

from ngo_platform.consultations import notifications, services


class Command(BaseCommand):
    help = "Open/close consultations on time and e-mail their followers (each event once per person)."

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="Send the daily digests instead of separate e-mails.")

    def handle(self, *args, digest=False, **options):
        changed = services.consultations_advance()
        count = notifications.send(digest=digest)
        self.stdout.write(f"state changes: {len(changed)}, e-mails queued: {count}")
