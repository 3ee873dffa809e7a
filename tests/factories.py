import factory

from sobrio.assessment.models import Answer, Campaign, Evidence
from sobrio.core.enums import Role, UnitKind
from sobrio.core.models import Institution, Membership, Unit, User
from sobrio.referentials.models import Family, Item, Referential

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


class ReferentialFactory(factory.django.DjangoModelFactory):
    """A private referential (of `institution`) with one family of three items."""

    class Meta:
        model = Referential
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    key = factory.Sequence(lambda n: f"grille-{n}")
    name = factory.Sequence(lambda n: f"Grille {n}")
    version = "1"
    scale = "maturity"
    source_format = "template-yaml"

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        family = Family.objects.create(referential=self, code="A", name="Famille A")
        weights = {1: 1.5, 2: 1.25, 3: 1}
        for position, rank in enumerate((1, 2, 3)):
            Item.objects.create(
                referential=self,
                family=family,
                code=f"A.{position + 1}",
                position=position,
                title=f"Item A.{position + 1}",
                priority_rank=rank,
                weight=weights[rank],
                indicators=["Un indicateur"],
            )


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign and its answers, created as the service does."""

    class Meta:
        model = Campaign

    institution = factory.SubFactory(InstitutionFactory)
    referential = factory.SubFactory(
        ReferentialFactory, institution=factory.SelfAttribute("..institution")
    )
    name = factory.Sequence(lambda n: f"Campagne {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from sobrio.assessment import services

        return services.campaign_create(**kwargs)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    institution = factory.SubFactory(InstitutionFactory)
    campaign = factory.SubFactory(
        CampaignFactory, institution=factory.SelfAttribute("..institution")
    )

    @classmethod
    def _create(cls, model_class, *args, campaign, **kwargs):
        return campaign.answers.order_by("item__position").first()


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    institution = factory.SubFactory(InstitutionFactory)
    answer = factory.SubFactory(AnswerFactory, institution=factory.SelfAttribute("..institution"))
    label = "Compte rendu du comité"
    url = "https://intranet.example.org/compte-rendu"


# One factory per model that has object URLs: the access test fills URL kwargs with them.
FACTORIES = {
    Unit: UnitFactory,
    Membership: MembershipFactory,
    Referential: ReferentialFactory,
    Campaign: CampaignFactory,
    Answer: AnswerFactory,
    Evidence: EvidenceFactory,
}
