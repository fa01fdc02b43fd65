"""factory_boy factories for Sidelog's models."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Profile
from journal.models import DoseEvent, Measurement, MedicationCourse, SymptomEntry
from reference.models import Drug, DrugSideEffect, RedFlag, SideEffect
from reference.services import content_editors_group_sync
from sharing.models import CareRelationship, ProviderGrant, token_hash, token_new

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)


class ContentEditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True

    @factory.post_generation
    def groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.groups.add(content_editors_group_sync())


class DrugFactory(factory.django.DjangoModelFactory[Drug]):
    class Meta:
        model = Drug

    name = factory.Sequence(lambda n: f"Testamine {n}")
    slug = factory.Sequence(lambda n: f"testamine-{n}")
    drug_class = "NMDA receptor antagonist"
    mechanism = "It calms an overactive glutamate signal in the brain."
    treats = "A condition for testing."
    routes = "Tablets"
    summary = "A made-up medicine used in Sidelog's tests."
    is_published = True


class SideEffectFactory(factory.django.DjangoModelFactory[SideEffect]):
    class Meta:
        model = SideEffect

    name = factory.Sequence(lambda n: f"Test symptom {n}")
    slug = factory.Sequence(lambda n: f"test-symptom-{n}")
    category = SideEffect.Category.COMMON
    description = "A feeling that comes and goes."
    typical_course = "Starts within an hour and fades by the evening."
    self_care = "Sit down until it passes."
    is_published = True


class DrugSideEffectFactory(factory.django.DjangoModelFactory[DrugSideEffect]):
    class Meta:
        model = DrugSideEffect

    drug = factory.SubFactory(DrugFactory)
    side_effect = factory.SubFactory(SideEffectFactory)
    frequency = DrugSideEffect.Frequency.COMMON


class RedFlagFactory(factory.django.DjangoModelFactory[RedFlag]):
    class Meta:
        model = RedFlag

    side_effect = factory.SubFactory(SideEffectFactory)
    action = RedFlag.Action.PRESCRIBER_TODAY
    signs = "The symptom is worse than anything you have felt before."
    guidance = "Contact your prescriber today."
    sources = "The drug's prescribing information, section 5."
    is_published = True


class PatientFactory(UserFactory):
    """A user with a patient profile, in London time unless told otherwise."""

    username = factory.Sequence(lambda n: f"patient{n}")
    profile = factory.RelatedFactory(
        "tests.support.factories.ProfileFactory", factory_related_name="user"
    )


class ProviderFactory(UserFactory):
    """A provider account, such as a psychiatrist a patient shares reports with."""

    username = factory.Sequence(lambda n: f"provider{n}")
    profile = factory.RelatedFactory(
        "tests.support.factories.ProfileFactory",
        factory_related_name="user",
        role=Profile.Role.PROVIDER,
        display_name=factory.SelfAttribute("..username"),
    )


class CaregiverFactory(UserFactory):
    """A caregiver account (the care relationship is made separately)."""

    username = factory.Sequence(lambda n: f"caregiver{n}")
    profile = factory.RelatedFactory(
        "tests.support.factories.ProfileFactory",
        factory_related_name="user",
        role=Profile.Role.CAREGIVER,
    )


class ProfileFactory(factory.django.DjangoModelFactory[Profile]):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    role = Profile.Role.PATIENT
    time_zone = "Europe/London"


def seeded_drug(slug: str) -> Drug:
    """A drug from the library that `migrate` seeds."""
    return Drug.objects.get(slug=slug)


def seeded_side_effect(slug: str) -> SideEffect:
    return SideEffect.objects.get(slug=slug)


class CourseFactory(factory.django.DjangoModelFactory[MedicationCourse]):
    class Meta:
        model = MedicationCourse

    patient = factory.SubFactory(PatientFactory)
    drug = factory.LazyFunction(lambda: seeded_drug("esketamine"))
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    route = MedicationCourse.Route.NASAL
    regimen = "56 mg twice a week in clinic"


class DoseFactory(factory.django.DjangoModelFactory[DoseEvent]):
    class Meta:
        model = DoseEvent

    course = factory.SubFactory(CourseFactory)
    taken_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=3))
    setting = DoseEvent.Setting.CLINIC
    logged_by = factory.SelfAttribute("course.patient")


class EntryFactory(factory.django.DjangoModelFactory[SymptomEntry]):
    class Meta:
        model = SymptomEntry

    patient = factory.SubFactory(PatientFactory)
    side_effect = factory.LazyFunction(lambda: seeded_side_effect("dizziness"))
    onset_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    severity = 2
    interference = 1
    logged_by = factory.SelfAttribute("patient")


def care_relationship(*, patient: User, caregiver: User) -> CareRelationship:
    """An accepted, active invitation: `caregiver` may keep `patient`'s journal."""
    return CareRelationship.objects.create(
        patient=patient,
        caregiver=caregiver,
        caregiver_email=caregiver.email,
        invitation_hash=token_hash(token_new()),
        accepted_at=timezone.now(),
    )


def provider_grant(*, patient: User, provider: User, revoked: bool = False) -> ProviderGrant:
    """Access to all of `patient`'s reports for `provider`, in force unless `revoked`."""
    return ProviderGrant.objects.create(
        patient=patient,
        provider=provider,
        provider_email=provider.email,
        all_reports=True,
        invitation_hash=token_hash(token_new()),
        revoked_at=timezone.now() if revoked else None,
    )


class MeasurementFactory(factory.django.DjangoModelFactory[Measurement]):
    """A blood pressure reading at home, two hours ago."""

    class Meta:
        model = Measurement

    patient = factory.SubFactory(PatientFactory)
    kind = Measurement.Kind.BLOOD_PRESSURE
    measured_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    systolic = 128
    diastolic = 82
    logged_by = factory.SelfAttribute("patient")
