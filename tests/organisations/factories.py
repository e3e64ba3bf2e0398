import factory

from ngo_platform.organisations.models import Organisation
from ngo_platform.territory.models import TerritorialUnit


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Stowarzyszenie Rozwoju Wsi nr {n}")
    slug = factory.Sequence(lambda n: f"stowarzyszenie-rozwoju-wsi-{n}")
    krs = factory.Sequence(lambda n: f"{n + 1:010d}")
    seat = factory.LazyFunction(lambda: TerritorialUnit.objects.get(teryt="1601011"))
