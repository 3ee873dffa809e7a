import datetime

import factory

from sobrio.assessment.models import Answer, Campaign, Evidence
from sobrio.badges.models import BadgeAssertion, BadgeClass
from sobrio.cleanup.models import CleanupCampaign, Team
from sobrio.core.enums import Role, UnitKind
from sobrio.core.models import Institution, Invitation, Membership, Unit, User
from sobrio.footprint.models import Factor, FactorSet, Scenario
from sobrio.ideas.models import Idea
from sobrio.identity.models import IdentityProvider
from sobrio.imports.models import ImportJob
from sobrio.inventory.models import (
    Asset,
    CloudInstance,
    CustomCategory,
    DataStore,
    ServerRoom,
)
from sobrio.learning.models import (
    Attempt,
    Certificate,
    Module,
    Path,
    PathModule,
    Question,
    Quiz,
    Registration,
    Response,
    Session,
    WorkshopKind,
)
from sobrio.plan.models import Action, Axis, Indicator, Plan
from sobrio.referentials.models import Family, Item, Referential
from sobrio.reports.models import Report

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


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    institution = factory.SubFactory(InstitutionFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.org")
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
class ServerRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServerRoom

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Salle {n}")
    pue = 1.5


class CustomCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomCategory

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"borne-{n}")
    label = factory.Sequence(lambda n: f"Borne interactive {n}")


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    institution = factory.SubFactory(InstitutionFactory)
    inventory_number = factory.Sequence(lambda n: f"INV-{n:05d}")
    category = "laptop"
    purchase_date = datetime.date(2023, 1, 1)


class CloudInstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CloudInstance

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Instance {n}")
    provider = "other"
    instance_type = "inconnu"
    hours_per_year = 100


class DataStoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataStore

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Données {n}")
    volume_tb = 0
    media = "tape"


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Scénario {n}")
    kind = "screens"
    params = {"count": 1}
    start_year = 2025  # the year the tests show


class ImportJobFactory(factory.django.DjangoModelFactory):
    """An uploaded inventory file, read and waiting for its mapping to be checked."""

    class Meta:
        model = ImportJob

    institution = factory.SubFactory(InstitutionFactory)
    kind = "assets"
    filename = "parc.csv"

    @classmethod
    def _create(cls, model_class, *args, institution, kind, filename, content=None, **kwargs):
        from sobrio.imports import flow

        content = content or "Numéro d'inventaire;Type\nX-1;Portable\n".encode()
        return flow.create_job(institution, kwargs.get("created_by"), kind, content, filename)


class FactorSetFactory(factory.django.DjangoModelFactory):
    """A private factor set with one embodied GWP factor for laptops."""

    class Meta:
        model = FactorSet
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Jeu {n}")
    version = "1"
    source = "test"

    @factory.post_generation
    def factors(self, create, extracted, **kwargs):
        Factor.objects.create(
            factor_set=self,
            category="laptop",
            criterion="gwp",
            phase="embodied",
            value=100,
            min=80,
            max=120,
            unit="kgCO2e",
            source="test",
        )


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    institution = factory.SubFactory(InstitutionFactory)
    title = "Schéma directeur"
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2028, 12, 31)


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    institution = factory.SubFactory(InstitutionFactory)
    plan = factory.SubFactory(PlanFactory, institution=factory.SelfAttribute("..institution"))
    name = factory.Sequence(lambda n: f"Axe {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    institution = factory.SubFactory(InstitutionFactory)
    axis = factory.SubFactory(AxisFactory, institution=factory.SelfAttribute("..institution"))
    plan = factory.SelfAttribute("axis.plan")
    label = factory.Sequence(lambda n: f"Action {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    institution = factory.SubFactory(InstitutionFactory)
    plan = factory.SubFactory(PlanFactory, institution=factory.SelfAttribute("..institution"))
    name = factory.Sequence(lambda n: f"Indicateur {n}")


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    institution = factory.SubFactory(InstitutionFactory)
    kind = "quarterly"
    period = "2026-Q3"
    starts_on = datetime.date(2026, 7, 1)
    ends_on = datetime.date(2026, 9, 30)


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Quiz {n}")
    published = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    institution = factory.SubFactory(InstitutionFactory)
    quiz = factory.SubFactory(QuizFactory, institution=factory.SelfAttribute("..institution"))
    position = factory.Sequence(int)
    qtype = "truefalse"
    text = factory.Sequence(lambda n: f"Affirmation {n}")
    data = factory.LazyFunction(
        lambda: {"answer": True, "feedback_wrong": "", "feedback_right": ""}
    )


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attempt

    institution = factory.SubFactory(InstitutionFactory)
    quiz = factory.SubFactory(QuizFactory, institution=factory.SelfAttribute("..institution"))
    user = factory.SubFactory(UserFactory)
    number = 1
    state = "finished"
    score = 1.0


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    institution = factory.SubFactory(InstitutionFactory)
    attempt = factory.SubFactory(AttemptFactory, institution=factory.SelfAttribute("..institution"))
    question = factory.SubFactory(
        QuestionFactory,
        institution=factory.SelfAttribute("..institution"),
        quiz=factory.SelfAttribute("..attempt.quiz"),
        qtype="essay",
        data={},
    )
    answer = "Une réponse"


class WorkshopKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopKind

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Fresque {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    institution = factory.SubFactory(InstitutionFactory)
    kind = factory.SubFactory(
        WorkshopKindFactory, institution=factory.SelfAttribute("..institution")
    )
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    )
    duration_minutes = 180
    place = "Salle du conseil"
    capacity = 2


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    institution = factory.SubFactory(InstitutionFactory)
    session = factory.SubFactory(SessionFactory, institution=factory.SelfAttribute("..institution"))
    user = factory.SubFactory(UserFactory)
    state = "pending"


class PathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Path

    institution = factory.SubFactory(InstitutionFactory)
    title = factory.Sequence(lambda n: f"Parcours {n}")
    published = True


class ModuleFactory(factory.django.DjangoModelFactory):
    """A module in a published path (so that participants reach it)."""

    class Meta:
        model = Module
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    validation = "decision"

    @factory.post_generation
    def in_path(self, create, extracted, **kwargs):
        if create and extracted is not False:
            path = PathFactory(institution=self.institution)
            PathModule.objects.create(institution=self.institution, path=path, module=self)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    institution = factory.SubFactory(InstitutionFactory)
    path = factory.SubFactory(PathFactory, institution=factory.SelfAttribute("..institution"))
    user = factory.SubFactory(UserFactory)
    holder_name = "Camille Dupont"
    issued_on = datetime.date(2026, 6, 1)
    code = factory.Sequence(lambda n: f"code-{n:08d}")


FACTORIES = {
    Unit: UnitFactory,
    Membership: MembershipFactory,
    Referential: ReferentialFactory,
    Campaign: CampaignFactory,
    Answer: AnswerFactory,
    Evidence: EvidenceFactory,
    Asset: AssetFactory,
    ServerRoom: ServerRoomFactory,
    CloudInstance: CloudInstanceFactory,
    DataStore: DataStoreFactory,
    Scenario: ScenarioFactory,
    ImportJob: ImportJobFactory,
    Invitation: InvitationFactory,
    FactorSet: FactorSetFactory,
    CustomCategory: CustomCategoryFactory,
    Action: ActionFactory,
    Indicator: IndicatorFactory,
    Report: ReportFactory,
    Quiz: QuizFactory,
    Attempt: AttemptFactory,
    Response: ResponseFactory,
    WorkshopKind: WorkshopKindFactory,
    Session: SessionFactory,
    Registration: RegistrationFactory,
    Path: PathFactory,
    Module: ModuleFactory,
    Certificate: CertificateFactory,
}


class CleanupCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CleanupCampaign

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Nettoyage {n}")
    starts_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=1))
    ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=6))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    institution = factory.SubFactory(InstitutionFactory)
    campaign = factory.SubFactory(
        CleanupCampaignFactory, institution=factory.SelfAttribute("..institution")
    )
    name = factory.Sequence(lambda n: f"Équipe {n}")


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    institution = factory.SubFactory(InstitutionFactory)
    title = factory.Sequence(lambda n: f"Idée {n}")
    text = "Éteindre les écrans des salles le soir."
    theme = "uses"


FACTORIES[CleanupCampaign] = CleanupCampaignFactory
FACTORIES[Idea] = IdeaFactory


class BadgeClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BadgeClass

    institution = factory.SubFactory(InstitutionFactory)
    slug = factory.Sequence(lambda n: f"badge-{n}")
    name = factory.Sequence(lambda n: f"Badge {n}")
    description = "Sobriété numérique au quotidien."
    criteria = "Avoir suivi la formation."


class BadgeAssertionFactory(factory.django.DjangoModelFactory):
    """Awarded through the service, as a rule or the officer would."""

    class Meta:
        model = BadgeAssertion

    @classmethod
    def _create(cls, model_class, *args, institution=None, badge=None, email=None, **kwargs):
        from sobrio.badges import services as badges

        badge = badge or BadgeClassFactory(institution=institution or InstitutionFactory())
        email = email or f"titulaire{BadgeAssertion.objects.count()}@example.org"
        return badges.award(badge, email=email, **kwargs)[0]


FACTORIES[BadgeClass] = BadgeClassFactory
FACTORIES[BadgeAssertion] = BadgeAssertionFactory


def _reuse_factories():
    from sobrio.reuse.models import (
        Application,
        Batch,
        Disposal,
        RedistributionCampaign,
        Refurbishment,
    )

    class BatchFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = Batch

        institution = factory.SubFactory(InstitutionFactory)
        name = factory.Sequence(lambda n: f"Lot {n}")
        opened_on = datetime.date(2026, 1, 5)

    class RetiredAssetFactory(AssetFactory):
        status = "retired"
        retirement_date = datetime.date(2025, 6, 1)

    class DisposalFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = Disposal

        institution = factory.SubFactory(InstitutionFactory)
        asset = factory.SubFactory(
            RetiredAssetFactory, institution=factory.SelfAttribute("..institution")
        )
        path = "recycling"
        decided_on = datetime.date(2026, 2, 1)

    class RefurbishmentFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = Refurbishment

        institution = factory.SubFactory(InstitutionFactory)
        batch = factory.SubFactory(BatchFactory, institution=factory.SelfAttribute("..institution"))
        asset = factory.SubFactory(
            RetiredAssetFactory, institution=factory.SelfAttribute("..institution")
        )

    class RedistributionCampaignFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = RedistributionCampaign

        institution = factory.SubFactory(InstitutionFactory)
        name = factory.Sequence(lambda n: f"Campagne de redistribution {n}")
        opens_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=1))
        closes_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=9))
        eligible = factory.LazyFunction(lambda: ["staff"])
        seed = "graine"

    class ApplicationFactory(factory.django.DjangoModelFactory):
        class Meta:
            model = Application

        institution = factory.SubFactory(InstitutionFactory)
        campaign = factory.SubFactory(
            RedistributionCampaignFactory, institution=factory.SelfAttribute("..institution")
        )
        user = factory.SubFactory(UserFactory)
        kind = "staff"
        need = "Télétravail"
        state = "allocated"
        device = factory.SubFactory(
            RetiredAssetFactory, institution=factory.SelfAttribute("..institution")
        )

    for model, made in ((Batch, BatchFactory), (Disposal, DisposalFactory),
                        (Refurbishment, RefurbishmentFactory),
                        (RedistributionCampaign, RedistributionCampaignFactory),
                        (Application, ApplicationFactory)):  # fmt: skip
        FACTORIES[model] = made


_reuse_factories()


def _network_factory():
    from sobrio.network.models import Network

    class NetworkFactory(factory.django.DjangoModelFactory):
        """A network whose only member is the given institution."""

        class Meta:
            model = Network

        slug = factory.Sequence(lambda n: f"reseau-{n}")
        name = factory.Sequence(lambda n: f"Réseau {n}")

        @classmethod
        def _create(cls, model_class, *args, institution=None, **kwargs):
            from sobrio.network import services

            network = super()._create(model_class, *args, **kwargs)
            if institution is not None:
                services.share(services.accept(services.invite(network, institution)), ["plan"])
            return network

    FACTORIES[Network] = NetworkFactory


_network_factory()


class IdentityProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdentityProvider

    institution = factory.SubFactory(InstitutionFactory)
    kind = "cas"
    name = factory.Sequence(lambda n: f"CAS {n}")
    url = "https://cas.example.org/cas/"


FACTORIES[IdentityProvider] = IdentityProviderFactory
