import factory
from django.contrib.auth import get_user_model

from athletes.models import Athlete, Invitation, Team

User = get_user_model()

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.COACH
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CoachFactory(UserFactory):
    role = User.Role.COACH


class AdminFactory(UserFactory):
    role = User.Role.ADMIN
    is_staff = True
    is_superuser = True


class AthleteUserFactory(UserFactory):
    role = User.Role.ATHLETE


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    sport = "Football"

    @factory.post_generation
    def coaches(self, create, extracted, **kwargs):
        if create and extracted:
            self.coaches.add(*extracted)


class AthleteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Athlete

    team = factory.SubFactory(TeamFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"athlete{n}@example.com")
    sport = "Football"
    position = "Winger"
    dominant_leg = Athlete.Leg.RIGHT


class InvitationFactory(factory.django.DjangoModelFactory):
    """Pass `token=` to know the raw token; the model keeps only its hash."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    token = factory.Faker("pystr", min_chars=20, max_chars=20)
    kind = Invitation.Kind.ATHLETE
    team = factory.SubFactory(TeamFactory)
    athlete = factory.SubFactory(AthleteFactory, team=factory.SelfAttribute("..team"))
    email = factory.SelfAttribute("athlete.email")
    token_hash = factory.LazyAttribute(lambda o: Invitation.hash_token(o.token))
    expires_at = factory.LazyFunction(Invitation.default_expiry)
