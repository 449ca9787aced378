"""Codes she types (recovery, agency reset, invite) outlive a new SECRET_KEY: they are keyed on
CODE_KEYS, or, without them, on SECRET_KEY and its fallbacks (accounts.code_keys)."""

import hashlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from survivor_portal.accounts import devices, recovery
from survivor_portal.accounts.code_keys import code_hash
from survivor_portal.accounts.models import Invite, ResetCode, User
from survivor_portal.accounts.services import account_join, invite_check, invite_create
from survivor_portal.errors import Invalid
from tests.factories import PASSPHRASE

pytestmark = pytest.mark.django_db
OLD = "the-old-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
NEW_SECRET = "the-new-secret-key-9876543210-zyxwvutsrqponmlkjihgfedcba"
CODE_KEY = "a-key-for-codes-only-0123456789-abcdefghijklmnopqrstuv"
NEWER_CODE_KEY = "a-newer-key-for-codes-0123456789-abcdefghijklmnopqrstu"
NEW = "a-brand-new-passphrase-77"


def _codes_made(survivor, agency_admin) -> tuple[str, str, str]:
    """A recovery code, an agency reset code and an invite code, made under the settings in force."""
    recovery_code = recovery.recovery_codes_make(actor=survivor)[0]
    _made, reset_code = recovery.reset_code_issue(actor=agency_admin, username="maya")
    _invite, invite_code = invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    return recovery_code, reset_code, invite_code


def _all_still_work(recovery_code: str, reset_code: str, invite_code: str) -> None:
    with pytest.raises(recovery.ResetWaiting):  # the reset code is taken: its wait starts
        recovery.recover(username="maya", code=reset_code, passphrase=NEW, passphrase_again=NEW)
    assert ResetCode.objects.get().started_at is not None
    assert invite_check(code=invite_code).state == "open"
    nina = account_join(code=invite_code, username="nina", display_name="Nina", passphrase=PASSPHRASE)
    assert nina.role == User.Role.SURVIVOR
    recovery.recover(username="maya", code=recovery_code, passphrase=NEW, passphrase_again=NEW)
    assert User.objects.get(username="maya").check_password(NEW)


def test_a_new_secret_key_with_the_old_one_as_fallback_keeps_every_code_working(survivor, agency_admin):
    with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[], CODE_KEYS=[]):
        codes = _codes_made(survivor, agency_admin)
    with override_settings(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[OLD], CODE_KEYS=[]):
        _all_still_work(*codes)
        # Typed once under the new key, the reset code is kept under it: the old key may go.
        assert ResetCode.objects.get().code_hash == code_hash(codes[1].replace("-", ""))


def test_with_code_keys_a_new_secret_key_needs_no_fallback(survivor, agency_admin):
    with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[], CODE_KEYS=[CODE_KEY]):
        codes = _codes_made(survivor, agency_admin)
    with override_settings(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[], CODE_KEYS=[CODE_KEY]):
        _all_still_work(*codes)


def test_a_new_code_key_keeps_the_codes_made_under_the_older_one(survivor, agency_admin):
    with override_settings(CODE_KEYS=[CODE_KEY]):
        codes = _codes_made(survivor, agency_admin)
    with override_settings(CODE_KEYS=[NEWER_CODE_KEY, CODE_KEY]):
        _all_still_work(*codes)
        assert ResetCode.objects.get().code_hash == code_hash(codes[1].replace("-", ""))
    with override_settings(CODE_KEYS=[NEWER_CODE_KEY]):  # moved to the newest key when typed
        assert recovery.reset_state(ResetCode.objects.get()) == "waiting"
        with pytest.raises(recovery.ResetWaiting):
            recovery.recover(username="maya", code=codes[1], passphrase=NEW, passphrase_again=NEW)


def test_moving_to_code_keys_with_the_current_secret_key_keeps_every_code(survivor, agency_admin):
    """README, Operations: CODE_KEYS=<a new key>,<the SECRET_KEY in use>, then rotate SECRET_KEY."""
    with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[], CODE_KEYS=[]):
        codes = _codes_made(survivor, agency_admin)
    with override_settings(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[], CODE_KEYS=[CODE_KEY, OLD]):
        _all_still_work(*codes)


def test_without_the_old_key_its_codes_are_refused_like_a_mistyped_code(survivor, agency_admin):
    with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[], CODE_KEYS=[]):
        recovery_code, reset_code, invite_code = _codes_made(survivor, agency_admin)
    with override_settings(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[], CODE_KEYS=[]):
        for code in (recovery_code, reset_code):
            with pytest.raises(Invalid) as refused:
                recovery.recover(username="maya", code=code, passphrase=NEW, passphrase_again=NEW)
            assert refused.value.message == "That username and code do not match. Check them and try again."
        with pytest.raises(Invalid) as refused:
            invite_check(code=invite_code)
        assert refused.value.message == "That code does not work. It may be mistyped, used or out of date."
        # Nothing else breaks: new codes work at once.
        fresh = recovery.recovery_codes_make(actor=survivor)[0]
        recovery.recover(username="maya", code=fresh, passphrase=NEW, passphrase_again=NEW)
    assert User.objects.get(username="maya").check_password(NEW)


def test_an_invite_made_before_invites_were_keyed_works_until_it_expires(agency_admin):
    Invite.objects.create(code_hash=hashlib.sha256(b"ABCDEFGHJKMN").hexdigest(), agency=agency_admin.agency,
                          role=User.Role.SURVIVOR, created_by=agency_admin, expires_at=timezone.now() + timedelta(days=1))
    assert invite_check(code="abcd-efgh-jkmn").state == "open"


def test_invite_codes_are_kept_keyed_so_a_copy_of_the_database_cannot_test_guesses(agency_admin):
    _invite, code = invite_create(actor=agency_admin, role=User.Role.SURVIVOR)
    plain = hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    assert Invite.objects.get().code_hash != plain


def test_her_phone_stays_known_while_the_old_secret_key_is_a_fallback(survivor):
    with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[]):
        token = devices.device_token_new(user=survivor)
    with override_settings(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[OLD]):
        assert devices.device_nonce(token=token, username="maya")
    with override_settings(SECRET_KEY=NEW_SECRET, SECRET_KEY_FALLBACKS=[]):
        assert devices.device_nonce(token=token, username="maya") == ""  # an unknown device, nothing worse


def test_a_short_code_key_stops_start_up_with_a_clear_message():
    env = {**os.environ, "CODE_KEYS": "too-short", "DJANGO_SETTINGS_MODULE": "survivor_portal.settings"}
    answer = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                            text=True, cwd=Path(__file__).resolve().parents[2], timeout=60)
    assert answer.returncode != 0 and "Each of CODE_KEYS must be at least 32 characters" in answer.stderr
