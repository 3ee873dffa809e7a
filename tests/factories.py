import factory

from sobrio.core.enums import Role, UnitKind
from sobrio.core.models import Institution, Membership, Unit, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Université numéro {n}")
    slug = factory.Sequence(lambda n: f"univ-{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = UnitKind.SERVICE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    institution = factory.SubFactory(InstitutionFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


# One factory per model that has object URLs: the access test fills URL kwargs with them.
FACTORIES = {Unit: UnitFactory, Membership: MembershipFactory}
