"""Getting back in without e-mail: recovery codes shown once at sign-up, an agency's reset code
that she is told about, one neutral message for anything wrong."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from survivor_portal.accounts import recovery
from survivor_portal.accounts.models import Invite, RecoveryCode, ResetCode, User
from survivor_portal.accounts.services import invite_create
from survivor_portal.errors import Invalid, NotFound, Throttled
from tests.conftest import logged_in
from tests.factories import PASSPHRASE

pytestmark = pytest.mark.django_db
NEW = "a-brand-new-passphrase-77"


def test_joining_shows_ten_codes_once(agency_admin, northside):
    _invite, code = invite_create(actor=agency_admin, role="survivor")
    client = Client()
    client.post("/", {"screen": "join", "code": code})
    page = client.post("/", {"screen": "join", "username": "nina", "display_name": "Nina", "passphrase": PASSPHRASE,
                                 "passphrase_again": PASSPHRASE}, follow=True).content.decode()
    assert "Your recovery codes" in page and "We show them only now." in page
    nina = User.objects.get(username="nina")
    assert RecoveryCode.objects.filter(user=nina).count() == 10
    assert all(len(c.code_hash) == 64 for c in RecoveryCode.objects.filter(user=nina))


def test_a_recovery_code_sets_a_new_passphrase_once(survivor):
    codes = recovery.recovery_codes_make(actor=survivor)
    recovery.recover(username="MAYA", code=codes[3].upper().replace("-", " "), passphrase=NEW, passphrase_again=NEW)
    survivor.refresh_from_db()
    assert survivor.check_password(NEW)
    with pytest.raises(Invalid):
        recovery.recover(username="maya", code=codes[3], passphrase=NEW, passphrase_again=NEW)


def test_new_codes_need_her_passphrase_and_replace_old_ones(survivor):
    old = recovery.recovery_codes_make(actor=survivor)
    with pytest.raises(Invalid):
        recovery.recovery_codes_replace(actor=survivor, passphrase="not mine")
    recovery.recovery_codes_replace(actor=survivor, passphrase=PASSPHRASE)
    with pytest.raises(Invalid):
        recovery.recover(username="maya", code=old[0], passphrase=NEW, passphrase_again=NEW)


@pytest.mark.parametrize("username, code", [("maya", "aaaa-bbbb"), ("nobody", "aaaa-bbbb"), ("sam", "aaaa-bbbb")])
def test_wrong_username_or_code_gets_one_neutral_message(survivor, advocate, username, code):
    with pytest.raises(Invalid) as refused:
        recovery.recover(username=username, code=code, passphrase=NEW, passphrase_again=NEW)
    assert refused.value.message == "That username and code do not match. Check them and try again."


def test_guessing_is_throttled(survivor):
    for _ in range(5):
        with pytest.raises(Invalid):
            recovery.recover(username="maya", code="zzzz-zzzz", passphrase=NEW, passphrase_again=NEW)
    codes = recovery.recovery_codes_make(actor=survivor)
    with pytest.raises(Throttled):
        recovery.recover(username="maya", code=codes[0], passphrase=NEW, passphrase_again=NEW)


def test_a_weak_or_mismatched_passphrase_changes_nothing(survivor):
    codes = recovery.recovery_codes_make(actor=survivor)
    with pytest.raises(Invalid):
        recovery.recover(username="maya", code=codes[0], passphrase="short", passphrase_again="short")
    with pytest.raises(Invalid):
        recovery.recover(username="maya", code=codes[0], passphrase=NEW, passphrase_again=NEW + "x")
    assert RecoveryCode.objects.filter(user=survivor, used_at__isnull=True).count() == 10


def test_an_agency_reset_code_works_once_for_48_hours_and_she_is_told(survivor, agency_admin, advocate, other_advocate):
    for someone in (advocate, other_advocate, survivor):
        with pytest.raises(NotFound):
            recovery.reset_code_issue(actor=someone, username="maya")
    record, code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    assert record.issued_by_label == "Alex"
    assert abs(record.expires_at - record.created_at - timedelta(hours=48)) < timedelta(minutes=1)
    page = logged_in(survivor).get("/").content.decode()
    assert "Alex at Northside Shelter made a reset code for your account" in page
    with pytest.raises(recovery.ResetWaiting):  # the 24-hour wait (tests/accounts/test_agency_reset.py)
        recovery.recover(username="maya", code=code, passphrase=NEW, passphrase_again=NEW)
    ResetCode.objects.filter(pk=record.pk).update(started_at=timezone.now() - timedelta(hours=24, seconds=1))
    recovery.recover(username="maya", code=code, passphrase=NEW, passphrase_again=NEW)
    with pytest.raises(Invalid):  # once
        recovery.recover(username="maya", code=code, passphrase=NEW, passphrase_again=NEW)
    other_record, other = recovery.reset_code_issue(actor=agency_admin, username="maya")
    ResetCode.objects.filter(pk=other_record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Invalid):
        recovery.recover(username="maya", code=other, passphrase=NEW, passphrase_again=NEW)


def test_another_agency_cannot_reset_her(survivor, eastbridge):
    from tests.factories import StaffFactory

    east_admin = StaffFactory(username="east", agency=eastbridge, role=User.Role.AGENCY_ADMIN)
    with pytest.raises(Invalid):
        recovery.reset_code_issue(actor=east_admin, username="maya")


def test_the_notice_goes_once_she_has_seen_it(as_survivor, survivor, agency_admin):
    record, _code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    as_survivor.post(f"/account/reset-notices/{record.pk}/seen")
    assert "made a reset code" not in as_survivor.get("/").content.decode()


def test_recovery_ends_her_other_sessions(survivor):
    elsewhere = logged_in(survivor)
    codes = recovery.recovery_codes_make(actor=survivor)
    recovery.recover(username="maya", code=codes[0], passphrase=NEW, passphrase_again=NEW)
    assert elsewhere.get("/account/settings").status_code == 302


def test_the_api(as_survivor, as_admin, as_advocate, survivor):
    def codes(client, passphrase):
        return client.post("/api/v1/me/backup-codes", json.dumps({"passphrase": passphrase}), content_type="application/json")

    assert len(codes(as_survivor, PASSPHRASE).json()["codes"]) == 10
    assert codes(as_survivor, "wrong").status_code == 422
    assert codes(as_advocate, PASSPHRASE).status_code == 404
    made = as_admin.post("/api/v1/agency/reset-codes", json.dumps({"username": "maya"}), content_type="application/json")
    assert made.status_code == 201
    assert as_advocate.post("/api/v1/agency/reset-codes", json.dumps({"username": "maya"}),
                            content_type="application/json").status_code == 404
    anonymous = Client(enforce_csrf_checks=True)
    token = anonymous.get("/api/v1/auth/csrf").json()["csrf_token"]
    def recover():
        return anonymous.post("/api/v1/auth/recover", json.dumps({"username": "maya", "code": made.json()["code"],
                                                                  "passphrase": NEW, "passphrase_again": NEW}),
                              content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert recover().status_code == 202  # the wait starts; nothing changes
    ResetCode.objects.update(started_at=timezone.now() - timedelta(hours=24, seconds=1))
    assert recover().status_code == 204


def test_the_page(survivor):
    codes = recovery.recovery_codes_make(actor=survivor)
    client = Client()
    assert "I forgot my passphrase" in client.get("/").content.decode()
    wrong = client.post("/", {"screen": "recover", "username": "maya", "code": "nope", "passphrase": NEW, "passphrase_again": NEW})
    assert "That username and code do not match" in wrong.content.decode()
    right = client.post("/", {"screen": "recover", "username": "maya", "code": codes[0], "passphrase": NEW, "passphrase_again": NEW})
    assert right["Location"] == "/"


def test_two_step_login_still_stands_after_a_code(survivor):
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from tests.conftest import totp_code

    TOTPDevice.objects.create(user=survivor, name="phone", confirmed=True)
    codes = recovery.recovery_codes_make(actor=survivor)
    with pytest.raises(Invalid) as asked:
        recovery.recover(username="maya", code=codes[0], passphrase=NEW, passphrase_again=NEW)
    assert asked.value.field == "otp_token"
    recovery.recover(username="maya", code=codes[0], passphrase=NEW, passphrase_again=NEW, otp_token=totp_code(survivor))


def test_her_reset_history_stays_on_her_settings_page(as_survivor, survivor, agency_admin):
    record, _code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    recovery.reset_notice_seen(actor=survivor, code_id=record.pk)
    page = as_survivor.get("/account/settings").content.decode()
    assert "Reset codes made for your account" in page and "Alex at Northside Shelter" in page


def test_codes_are_keyed_hashes(survivor):
    import hashlib

    [code, *_rest] = recovery.recovery_codes_make(actor=survivor)
    plain = hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert not RecoveryCode.objects.filter(code_hash=plain).exists() and len(code) == 14


def test_the_data_file_is_not_downloaded_from_other_sites(as_survivor, survivor):
    assert as_survivor.get("/download/export.json", HTTP_SEC_FETCH_SITE="cross-site").status_code == 404
    assert as_survivor.get("/download/export.json", HTTP_SEC_FETCH_SITE="same-origin").status_code == 200
