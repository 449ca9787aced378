"""Every write and rule about staff check-ins and the agency's safety settings.

Staff only, each within their own agency; survivors are never shown that any of it exists
(NotFound, as for anything that is not theirs). Nothing leaves the app: no e-mail, SMS or push."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peer_support.groups import checks
from survivor_portal.accounts.models import Agency, User
from survivor_portal.errors import Conflict, Invalid, NotAllowed, NotFound, full_clean_or_invalid, text_or_invalid
from survivor_portal.outreach.models import (
    DEFAULT_GRACE_MINUTES,
    LONGEST_GRACE_MINUTES,
    AgencySafety,
    CheckIn,
    CheckInEvent,
    OnDuty,
)
from survivor_portal.versions import Expected, version_bump, version_check
from survivor_portal.write_limits import write_limit

SHORTEST_OUT_MINUTES = 5
LONGEST_OUT_MINUTES = 12 * 60  # a working day; a longer absence is not a visit and needs a real plan
# The log is kept 30 days after a check-in ends (or after its last deadline if nobody ended it):
# long enough to look back at a missed check-in with the colleague in the next supervision,
# short enough that the record of where staff went, which could point to where survivors
# live, does not pile up. Backups add their own 7 days (README, Operations).
KEEP_DAYS = 30


def _staff(actor: User) -> User:
    if not actor.is_authenticated or not actor.is_agency_staff or actor.agency_id is None:
        raise NotFound(_("We could not find that."))
    return actor


def _admin(actor: User) -> User:
    _staff(actor)
    if actor.role != User.Role.AGENCY_ADMIN:
        raise NotAllowed(_("Only an agency admin can change this."))
    return actor


def grace_minutes_of(agency_id: int) -> int:
    found = AgencySafety.objects.filter(agency_id=agency_id).values_list("grace_minutes", flat=True).first()
    return DEFAULT_GRACE_MINUTES if found is None else found


def _minutes(value: int | None, field: str) -> int:
    if value is None or not SHORTEST_OUT_MINUTES <= value <= LONGEST_OUT_MINUTES:
        raise Invalid(_("Choose between 5 minutes and 12 hours."), field=field)
    return value


def _words_checked(fields: dict[str, str], agency: Agency, confirm_identifying: bool) -> None:
    """The same hint as in the peer groups: a phone number, e-mail, street address or link may
    identify someone. Asked once; staff may go ahead (a help line can look like a number)."""
    if confirm_identifying:
        return
    region = checks.phone_region(agency)
    for field, text in fields.items():
        if text and checks.may_identify(text, region=region):
            raise Invalid(_("This may identify someone. Use a neutral label, never a name or an address. Save anyway?"),
                          field=field, code="may_identify")


def _colleagues(actor: User, ids: Iterable[int], field: str = "colleague_ids") -> list[User]:
    wanted = set(ids) - {actor.pk}
    found = list(get_user_model().objects.filter(pk__in=wanted, agency_id=actor.agency_id,
                                                 role__in=(User.Role.ADVOCATE, User.Role.AGENCY_ADMIN), is_active=True))
    if len(found) != len(wanted):
        raise Invalid(_("Choose colleagues from your agency."), field=field)
    return found


def _log(check_in: CheckIn, kind: str, actor: User, at: datetime, back_by: datetime | None = None) -> None:
    CheckInEvent.objects.create(check_in=check_in, kind=kind, actor=actor, at=at, back_by=back_by)


@write_limit("staff_check_in")
@transaction.atomic
def check_in_start(
    *, actor: User, place: str, back_in_minutes: int, colleague_ids: Iterable[int] = (), with_others: str = "",
    note: str = "", confirm_identifying: bool = False,
) -> CheckIn:
    """Before going out: where (a neutral label), with whom, and when they will check back."""
    _staff(actor)
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=actor.pk)  # two tabs take turns
    if CheckIn.objects.filter(staff=actor, ended_at__isnull=True).exists():
        raise Conflict(_("You are already out. Check back in or extend that one first."), code="already_out")
    place = text_or_invalid(place, "place", 80, empty=_("Please write a neutral label, like “visit north side”."))
    with_others = text_or_invalid(with_others, "with_others", 120, required=False)
    note = text_or_invalid(note, "note", 300, required=False)
    minutes = _minutes(back_in_minutes, "back_in_minutes")
    colleagues = _colleagues(actor, colleague_ids)
    _words_checked({"place": place, "with_others": with_others, "note": note}, actor.agency, confirm_identifying)
    now = timezone.now()
    back_by = now + timedelta(minutes=minutes)
    check_in = CheckIn(agency_id=actor.agency_id, staff=actor, place=place, with_others=with_others, note=note,
                       started_at=now, back_by=back_by,
                       alert_at=back_by + timedelta(minutes=grace_minutes_of(actor.agency_id)))
    full_clean_or_invalid(check_in, exclude=["agency", "staff"], validate_constraints=False)
    check_in.save()
    check_in.colleagues.set(colleagues)
    _log(check_in, CheckInEvent.Kind.STARTED, actor, now, back_by)
    return check_in


def _open_one_of_mine(actor: User, check_in_id: int) -> CheckIn:
    _staff(actor)
    check_in = CheckIn.objects.select_for_update().filter(pk=check_in_id, agency_id=actor.agency_id).first()
    if check_in is None:
        raise NotFound(_("We could not find that check-in."))
    if check_in.staff_id != actor.pk:
        raise NotAllowed(_("Only the person who went out can change their check-in."))
    if check_in.ended_at is not None:
        raise Conflict(_("This check-in has ended already."), code="ended")
    return check_in


@write_limit("staff_check_in_edit")
@transaction.atomic
def check_in_extend(*, actor: User, check_in_id: int, back_in_minutes: int, version: Expected = None) -> CheckIn:
    """A new time to check back, counted from now. An alert already raised goes away; if the new
    time passes too, colleagues are alerted again."""
    check_in = _open_one_of_mine(actor, check_in_id)
    version_check(check_in, version)
    now = timezone.now()
    check_in.back_by = now + timedelta(minutes=_minutes(back_in_minutes, "back_in_minutes"))
    check_in.alert_at = check_in.back_by + timedelta(minutes=grace_minutes_of(check_in.agency_id))
    check_in.acknowledged_at, check_in.acknowledged_by = None, None
    check_in.save(update_fields=["back_by", "alert_at", "acknowledged_at", "acknowledged_by", version_bump(check_in)])
    _log(check_in, CheckInEvent.Kind.EXTENDED, actor, now, check_in.back_by)
    return check_in


@transaction.atomic
def check_in_end(*, actor: User, check_in_id: int, version: Expected = None) -> CheckIn:
    """Back safe. Never limited: nothing may stand between staff and saying they are back.
    An ended check-in is never refused for being stale: being back is always true."""
    check_in = _open_one_of_mine(actor, check_in_id)
    now = timezone.now()
    check_in.ended_at = now
    check_in.save(update_fields=["ended_at", version_bump(check_in)])
    _log(check_in, CheckInEvent.Kind.ENDED, actor, now)
    return check_in


@transaction.atomic
def check_in_acknowledge(*, actor: User, check_in_id: int) -> CheckIn:
    """A colleague takes on an overdue check-in: the alert leaves everyone's pages, and the log
    keeps who and when. Acknowledging twice changes nothing; before the alert time it is refused."""
    _staff(actor)
    check_in = CheckIn.objects.select_for_update().filter(pk=check_in_id, agency_id=actor.agency_id).first()
    if check_in is None:
        raise NotFound(_("We could not find that check-in."))
    now = timezone.now()
    if check_in.acknowledged_at is not None or check_in.ended_at is not None:
        return check_in
    if not check_in.is_overdue(now):
        raise Conflict(_("This check-in is not overdue yet."), code="not_overdue")
    check_in.acknowledged_at, check_in.acknowledged_by = now, actor
    check_in.save(update_fields=["acknowledged_at", "acknowledged_by", version_bump(check_in)])
    _log(check_in, CheckInEvent.Kind.ACKNOWLEDGED, actor, now, check_in.back_by)
    return check_in


@transaction.atomic
def agency_safety_update(
    *, actor: User, grace_minutes: int, on_duty_ids: Iterable[int], crisis_resources: str, version: Expected = None,
) -> AgencySafety:
    """The admin's settings: grace period, who is on duty, and the agency's crisis resources (the
    same ones the peer groups show). Settings are not write-limited: a handful of values, edited in place."""
    _admin(actor)
    agency = Agency.objects.select_for_update().get(pk=actor.agency_id)
    settings, _made = AgencySafety.objects.select_for_update().get_or_create(agency=agency)
    version_check(settings, version)
    if grace_minutes is None or not 0 <= grace_minutes <= LONGEST_GRACE_MINUTES:
        raise Invalid(_("Choose a grace period between 0 and 120 minutes."), field="grace_minutes")
    agency.crisis_resources = text_or_invalid(crisis_resources, "crisis_resources", 1000, required=False)
    on_duty_ids = set(on_duty_ids)
    on_duty = _colleagues(actor, on_duty_ids, "on_duty_ids") + ([actor] if actor.pk in on_duty_ids else [])
    changed_grace = settings.grace_minutes != grace_minutes
    settings.grace_minutes = grace_minutes
    full_clean_or_invalid(settings, exclude=["agency"], validate_constraints=False)
    settings.save(update_fields=["grace_minutes", version_bump(settings)])
    agency.save(update_fields=["crisis_resources"])
    OnDuty.objects.filter(agency=agency).exclude(user__in=on_duty).delete()
    OnDuty.objects.filter(user__in=on_duty).exclude(agency=agency).delete()
    kept = set(OnDuty.objects.filter(agency=agency).values_list("user_id", flat=True))
    OnDuty.objects.bulk_create(OnDuty(agency=agency, user=user) for user in on_duty if user.pk not in kept)
    if changed_grace:
        _move_alerts(agency.pk, grace_minutes)
    return settings


def _move_alerts(agency_id: int, grace_minutes: int) -> None:
    """Open check-ins follow the new grace period at once (alert_at is back_by plus grace)."""
    for check_in in CheckIn.objects.select_for_update().filter(agency_id=agency_id, ended_at__isnull=True).only(
            "pk", "back_by", "alert_at"):
        CheckIn.objects.filter(pk=check_in.pk).update(alert_at=check_in.back_by + timedelta(minutes=grace_minutes))


@transaction.atomic
def old_check_ins_remove(*, now: datetime) -> int:
    """Check-ins (and their log) KEEP_DAYS after they ended, or after their last deadline when
    nobody ended them. The housekeeping worker runs it; running it twice changes nothing."""
    cutoff = now - timedelta(days=KEEP_DAYS)
    old = CheckIn.objects.filter(ended_at__lt=cutoff) | CheckIn.objects.filter(ended_at__isnull=True, alert_at__lt=cutoff)
    ids = list(old.values_list("pk", flat=True))
    _total, removed = CheckIn.objects.filter(pk__in=ids).delete()
    return removed.get(CheckIn._meta.label, 0)
