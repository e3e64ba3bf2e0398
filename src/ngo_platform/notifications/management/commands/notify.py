"""E-mail people what happened to what they follow, each (person, item, event) once (idempotent; for cron).

ngo-platform notify            # every 10–15 minutes: separate e-mails (consultations open and close on time first)
ngo-platform notify --digest   # once a day: the daily digests
"""

from django.core.management.base import BaseCommand

from ngo_platform.notifications import engine


class Command(BaseCommand):
    help = "E-mail followers what happened to what they follow (each event once per person)."

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="Send the daily digests instead of separate e-mails.")

    def handle(self, *args, digest=False, **options):
        engine.prepare()
        count = engine.send(digest=digest)
        self.stdout.write(f"e-mails queued: {count}")
