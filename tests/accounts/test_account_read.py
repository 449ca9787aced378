"""The account read every request makes is built by the ORM once per process and then only run
(accounts.backends.read_account): it must read exactly what the plain queryset reads."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from survivor_portal.accounts.backends import AccountBackend, account_queryset, read_account
from survivor_portal.accounts.models import User
from survivor_portal.consent import services as consent
from survivor_portal.consent.models import ConsentGrant
from survivor_portal.safety.models import SafetySettings
from tests.factories import UserFactory


def _fields(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def _same_as_the_queryset(user_id: int) -> User:
    soon = timezone.now() + timedelta(days=7)
    fast, plain = read_account(user_id, soon), account_queryset(user_id, soon)[0]
    assert _fields(fast) == _fields(plain)
    assert fast.news == plain.news
    for relation in ("agency", "safety"):
        assert User._meta.get_field(relation).is_cached(fast)
        mine, theirs = getattr(fast, relation, None), getattr(plain, relation, None)
        assert (mine is None) == (theirs is None)
        if mine is not None:
            assert _fields(mine) == _fields(theirs)
    return fast


def test_it_reads_what_the_queryset_reads_for_each_kind_of_person(survivor, advocate, agency_admin, northside):
    SafetySettings.objects.update_or_create(user=survivor, defaults={"disguise": "calculator"})
    grant = consent.consent_grant(actor=survivor, agency_id=northside.pk, scopes=["goals"], days=30)
    ConsentGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + timedelta(days=3))  # ending soon: news
    her = _same_as_the_queryset(survivor.pk)
    assert her.news is True and her.safety.disguise == "calculator" and her.display_name == survivor.display_name
    _same_as_the_queryset(advocate.pk)
    _same_as_the_queryset(agency_admin.pk)
    nobody_settings = UserFactory(agency=None)  # no agency, no safety settings row
    SafetySettings.objects.filter(user=nobody_settings).delete()
    alone = _same_as_the_queryset(nobody_settings.pk)
    assert alone.agency is None


def test_it_is_one_query_and_unknown_or_odd_ids_are_nobody(survivor):
    backend = AccountBackend()
    with CaptureQueriesContext(connection) as queries:
        assert backend.get_user(survivor.pk).pk == survivor.pk
    assert len(queries) == 1
    assert backend.get_user(survivor.pk + 10_000) is None
    assert backend.get_user("12x") is None and backend.get_user(-1) is None and backend.get_user(2**70) is None
