import base64

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from survivor_portal.accounts.models import Agency, User
from survivor_portal.accounts.usernames import username_key
from survivor_portal.safety.models import SafetySettings

PASSPHRASE = "a-long-test-passphrase-42"
TOTP_BASE32 = "JBSWY3DPEHPK3PXP"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.SHELTER
    time_zone = "America/New_York"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    username_key = factory.LazyAttribute(lambda person: username_key(person.username))
    display_name = factory.Faker("first_name")
    role = User.Role.SURVIVOR
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSPHRASE)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def seen_exit_intro(obj, create, extracted, **kwargs):
        """People in tests have used the app before; new joiners are tested on their own."""
        if create and extracted is not False:
            SafetySettings.objects.get_or_create(user=obj, defaults={"seen_exit_intro": True})


class StaffFactory(UserFactory):
    role = User.Role.ADVOCATE

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create:
            TOTPDevice.objects.create(
                user=obj, name="Test app", key=base64.b32decode(TOTP_BASE32).hex(), confirmed=True
            )
