"""factory-boy factories. Officers get valid, unique citizen ID numbers (GB 11643 check digit)."""

from datetime import date

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from assessments.models import AnnualAssessment, DutyReport
from communities import counts as call_counts
from communities.models import Area, Community, PoliceStation, Street
from communities.services import area_create
from officers.ledger import counts as work_counts
from officers.ledger.models import WorkRecord
from officers.models import Appointment, Officer
from officers.talks import counts as talk_counts
from officers.talks import rollup as talk_rollup
from officers.talks.models import MonthlyTalk
from yushu_gov.access.roles import GROUP_NAMES
from yushu_gov.input.validators import id_check_digit
from yushu_gov.models import User


def valid_id_number(n: int, born: date = date(1988, 5, 17), region: str = "632701") -> str:
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_digit(first17)


class AreaFactory(factory.django.DjangoModelFactory):
    """An area of the organisation tree, made by the service that keeps its path; by default Yushu City (the
    reference data's, when it is loaded)."""

    class Meta:
        model = Area

    code = "yushu"
    name = "玉树市"
    kind = Area.Kind.CITY
    parent = None

    @classmethod
    def _create(cls, model_class, *args, code, **kwargs):
        return model_class.objects.filter(code=code).first() or area_create(code=code, **kwargs)


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ["code"]

    area = factory.SubFactory(AreaFactory)

    code = factory.Sequence(lambda n: f"street-{n}")
    name = factory.Sequence(lambda n: f"测试街道{n}")
    committee_name = factory.LazyAttribute(lambda o: f"{o.name}党工委")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    code = factory.Sequence(lambda n: f"community-{n}")
    name = factory.Sequence(lambda n: f"测试社区{n}")
    street = factory.SubFactory(StreetFactory)


class PoliceStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceStation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"station-{n}")
    name = factory.Sequence(lambda n: f"测试派出所{n}")
    area = factory.SubFactory(AreaFactory)


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

    """A serving appointment that went through the procedure (filed, numbered letter). For other states
    use the services in officers/services.py, which is what the workflow tests do."""

    officer = factory.SubFactory(OfficerFactory)
    community = factory.SubFactory(CommunityFactory)
    status = Appointment.Status.SERVING
    nominated_on = date(2022, 5, 10)
    decided_on = date(2022, 6, 8)
    decision_meeting = "市委组织部部务会"
    document_no = "玉市组〔2022〕12号"
    filed_on = date(2022, 6, 15)
    letter_year = 2022
    letter_serial = factory.Sequence(lambda n: n + 1)
    started_on = date(2022, 7, 1)
    end_reason = factory.LazyAttribute(lambda o: Appointment.EndReason.ROTATION if o.status == "ended" else "")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved with the talks' compliance roll-ups kept, as the appointment services keep them."""
        with talk_rollup.kept([(kwargs["officer"].pk, kwargs["community"].street_id)]):
            return super()._create(model_class, *args, **kwargs)


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


class MonthlyTalkFactory(factory.django.DjangoModelFactory):
    """A talk; give `officer` and `community` (the community the officer serves on the day)."""

    class Meta:
        model = MonthlyTalk

    officer = factory.SubFactory(OfficerFactory)
    community = factory.SubFactory(CommunityFactory)
    held_at = factory.LazyFunction(timezone.now)
    place = "社区党群服务中心"
    talker_name = "测试书记"
    talker_role = MonthlyTalk.TalkerRole.SECRETARY
    topic_party_building = True
    content = "了解兼任副书记以来的工作情况。"
    recorded_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the talk services save it: with the talks' monthly counts kept (officers/talks/counts.py)."""
        talk = super()._create(model_class, *args, **kwargs)
        talk_counts.keep(added=talk_counts.counted(talk))
        return talk


class AnnualAssessmentFactory(factory.django.DjangoModelFactory):
    """An open assessment with its two (empty) duty reports; the community is the officer's seat."""

    class Meta:
        model = AnnualAssessment
        skip_postgeneration_save = True

    officer = factory.SubFactory(OfficerFactory)
    year = 2023
    community = factory.LazyAttribute(
        lambda o: (o.officer.appointments.order_by("-id").first() or AppointmentFactory(officer=o.officer)).community
    )

    @factory.post_generation
    def reports(self, create, extracted, **kwargs):
        if create:
            DutyReport.objects.bulk_create([DutyReport(assessment=self, body=body) for body in DutyReport.Body])


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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the ledger services save it: with the ledger's monthly counts kept (officers/ledger/counts.py)."""
        record = super()._create(model_class, *args, **kwargs)
        work_counts.keep(added=work_counts.counted(record))
        return record


class PoliceCallCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "communities.PoliceCallCount"

    community = factory.SubFactory(CommunityFactory)
    year = 2023
    month = 1
    count = 10

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the police-call services save it: with the roll-up up the tree kept (communities/counts.py)."""
        key = (kwargs["community"].pk, kwargs["year"], kwargs["month"])
        with call_counts.kept([key]):
            return super()._create(model_class, *args, **kwargs)
