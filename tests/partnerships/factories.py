"""Partnership announcements made through the services, as the application makes them, and organisations indexed
for search as the directory's services index them."""

from datetime import timedelta

from django.utils import timezone

from ngo_platform.core.workflow import perform
from ngo_platform.organisations.search import index_organisations
from ngo_platform.organisations.selectors import current_spheres
from ngo_platform.partnerships import services
from ngo_platform.partnerships.workflows import ANNOUNCEMENT
from ngo_platform.territory.models import TerritorialUnit
from tests.community.factories import party_of, writer_for
from tests.organisations.factories import OrganisationFactory


def sphere(number: str):
    return current_spheres().get(number=number)


def units(*teryts):
    return list(TerritorialUnit.objects.filter(teryt__in=teryts))


def organisation(*, spheres=(), seat="1601011", areas=(), **fields):
    """A listed, active organisation with its spheres (numbers), seat and areas (TERYT codes), indexed."""
    made = OrganisationFactory(seat=TerritorialUnit.objects.get(teryt=seat), **fields)
    made.spheres.set([sphere(number) for number in spheres])
    made.areas.set(units(*areas))
    index_organisations([made])
    return made


def announcement(
    *, organisation=None, authority=None, author=None, spheres=("1",), territory=(), state="published", **data
):
    """An announcement written for the party through the service, published unless `state` says otherwise."""
    author = author or writer_for(organisation, authority)
    fields = {
        "kind": "seeking",
        "role": "leader",
        "title": "Partnerzy do projektu",
        "description": "Szukamy partnerów.",
        "abroad": False,
        "programme": "",
        "competition": None,
        "deadline": timezone.localdate() + timedelta(days=30),
        "offered": "",
        "needed": "",
        "budget_from": None,
        "budget_to": None,
        "spheres": [sphere(number) for number in spheres],
        "territory": units(*territory),
        **data,
    }
    made = services.announcement_create(actor=author, party=party_of(organisation, authority), data=fields)
    if state in ("published", "archived"):
        made = perform(ANNOUNCEMENT, made, "publish", actor=author)
    if state == "archived":
        made = perform(ANNOUNCEMENT, made, "archive", actor=author)
    made.author = author
    return made
