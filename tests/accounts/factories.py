import factory
from allauth.account.models import EmailAddress

from ngo_platform.accounts.models import (
    AuthorityMembership,
    AuthorityRole,
    OrganisationMembership,
    OrganisationRole,
    User,
)

PASSWORD = "Zielona-Lipa-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"osoba{n}@example.pl")
    display_name = factory.Faker("name", locale="pl_PL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Tests written before the display name pass `full_name=`: it names the person the same way.
        if "full_name" in kwargs:
            kwargs["display_name"] = kwargs.pop("full_name")
        return kwargs

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class AuthorityMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorityMembership

    user = factory.SubFactory(UserFactory)
    role = AuthorityRole.OFFICER


class OrganisationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory("tests.organisations.factories.OrganisationFactory")
    role = OrganisationRole.EDITOR
