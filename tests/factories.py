"""factory-boy factories. Officers get valid, unique citizen ID numbers (GB 11643 check digit)."""

from datetime import date

import factory
from django.contrib.auth.models import Group

from communities.models import Community, PoliceStation, Street
from officers.models import Appointment, Officer
from yushu_gov.models import User
from yushu_gov.roles import GROUP_NAMES
from yushu_gov.validators import id_check_digit


def valid_id_number(n: int, born: date = date(1988, 5, 17), region: str = "632701") -> str:
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试街道{n}")
    committee_name = factory.LazyAttribute(lambda o: f"{o.name}党工委")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"测试社区{n}")
    street = factory.SubFactory(StreetFactory)


class PoliceStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceStation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"测试派出所{n}")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    name = factory.Sequence(lambda n: f"民警{n}")
    gender = Officer.Gender.MALE
    ethnicity = Officer.Ethnicity.TIBETAN
    police_number = factory.Sequence(lambda n: f"{700000 + n:06d}")
    # The sequence runs through the birth day as well, so thousands of officers stay unique.
    id_number = factory.Sequence(lambda n: valid_id_number(n, born=date(1980 + n // 1000 % 20, 1, 1)))
    mobile = factory.Sequence(lambda n: f"138{n:08d}")
    work_phone = "0976-8823110"
    station = factory.SubFactory(PoliceStationFactory)
    party_status = Officer.PartyStatus.FULL
    party_member_since = date(2010, 7, 1)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    officer = factory.SubFactory(OfficerFactory)
    community = factory.SubFactory(CommunityFactory)
    status = Appointment.Status.SERVING
    started_on = date(2022, 7, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "Yushu@2023")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=GROUP_NAMES[extracted])[0])
        if create:
            self.save()


# --- Work ledger and police-call figures (issue 5) ---

from officers.models import WorkRecord  # noqa: E402


class WorkRecordFactory(factory.django.DjangoModelFactory):
    """A done patrol by default; pass kind=... with the fields that type needs (severity, case_number, aid_amount)."""

    class Meta:
        model = WorkRecord

    kind = WorkRecord.Kind.PATROL
    occurred_on = date(2023, 5, 10)
    officer = factory.SubFactory(OfficerFactory)
    community = factory.SubFactory(CommunityFactory)
    summary = "治安巡逻"
    status = WorkRecord.Status.DONE


class PoliceCallCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "communities.PoliceCallCount"

    community = factory.SubFactory(CommunityFactory)
    year = 2023
    month = 1
    count = 10
