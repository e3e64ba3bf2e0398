"""Give a person a role in an authority or organisation, through the audited service."""

from django.core.management import BaseCommand, CommandError

from ngo_platform.accounts import services
from ngo_platform.accounts.models import User
from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import Authority


class Command(BaseCommand):
    help = "Nadaje rolę: --authority TERYT --role admin|officer albo --organisation SLUG --role admin|editor."

    def add_arguments(self, parser):
        parser.add_argument("email")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--authority", help="kod TERYT samorządu")
        target.add_argument("--organisation", help="adres (slug) organizacji")
        parser.add_argument("--role", required=True)

    def handle(self, *args, email, authority, organisation, role, **options):
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            raise CommandError(f"Nie ma konta {email}.") from None
        try:
            if authority:
                party = Authority.objects.get(unit__teryt=authority)
                services.authority_membership_set(actor=None, authority=party, user=user, role=role)
            else:
                party = Organisation.objects.get(slug=organisation)
                services.organisation_membership_set(actor=None, organisation=party, user=user, role=role)
        except (Authority.DoesNotExist, Organisation.DoesNotExist):
            raise CommandError("Nie ma takiego samorządu ani organizacji.") from None
        except ValueError:
            raise CommandError(f"Nieznana rola: {role}.") from None
        self.stdout.write(self.style.SUCCESS(f"{user.email}: {role} – {party}"))
