"""Reads about check-ins, already limited to the viewer's own agency. Survivors get nothing."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import User
from survivor_portal.errors import NotFound
from survivor_portal.outreach.models import DEFAULT_GRACE_MINUTES, AgencySafety, CheckIn, CheckInEvent, OnDuty
from survivor_portal.outreach.services import KEEP_DAYS, _admin, _staff


def _is_staff(viewer) -> bool:
    return bool(viewer is not None and viewer.is_authenticated and viewer.is_agency_staff and viewer.agency_id)


def alerts_for(*, viewer) -> list[CheckIn]:
    """Overdue, unacknowledged check-ins this person should see at the top of every page: those
    of their agency when they are on duty (or when the agency lists nobody on duty), and their
    own. One indexed query per staff page (outreach_open_by_alert); none for anyone else."""
    if not _is_staff(viewer):
        return []
    on_duty_here = OnDuty.objects.filter(agency_id=viewer.agency_id)
    sees_all = Q(Exists(on_duty_here.filter(user_id=viewer.pk))) | ~Q(Exists(on_duty_here))
    return list(
        CheckIn.objects.filter(agency_id=viewer.agency_id, ended_at__isnull=True, acknowledged_at__isnull=True,
                               alert_at__lte=timezone.now())
        .filter(sees_all | Q(staff_id=viewer.pk))
        .select_related("staff").order_by("alert_at")[:20]
    )


@dataclass
class Board:
    mine: CheckIn | None
    out_now: list[CheckIn]
    log: list[CheckIn]
    colleagues: list[User]
    grace_minutes: int


def _with_details(queryset):
    return queryset.select_related("staff", "acknowledged_by").prefetch_related(
        "colleagues", Prefetch("events", queryset=CheckInEvent.objects.select_related("actor")))


def board_for(*, viewer) -> Board:
    """The check-ins page: their own open check-in, colleagues out now, and the last KEEP_DAYS."""
    _staff(viewer)
    since = timezone.now() - timedelta(days=KEEP_DAYS)
    rows = list(_with_details(CheckIn.objects.filter(agency_id=viewer.agency_id)
                              .filter(Q(ended_at__isnull=True) | Q(started_at__gte=since)))[:200])
    open_rows = [row for row in rows if row.ended_at is None]
    mine = next((row for row in open_rows if row.staff_id == viewer.pk), None)
    return Board(mine=mine, out_now=[row for row in open_rows if row is not mine],
                 log=[row for row in rows if row.ended_at is not None],
                 colleagues=colleagues_of(viewer=viewer), grace_minutes=grace_of(viewer=viewer))


def check_ins_for(*, viewer) -> list[CheckIn]:
    """The API's list: open ones first, then the last KEEP_DAYS."""
    board = board_for(viewer=viewer)
    return [*([board.mine] if board.mine else []), *board.out_now, *board.log]


def check_in_for(*, viewer, check_in_id: int) -> CheckIn:
    _staff(viewer)
    found = _with_details(CheckIn.objects.filter(pk=check_in_id, agency_id=viewer.agency_id)).first()
    if found is None:
        raise NotFound(_("We could not find that check-in."))
    return found


def colleagues_of(*, viewer) -> list[User]:
    """Staff of their agency other than themselves, by name (names are sealed: sorted here)."""
    people = get_user_model().objects.filter(agency_id=viewer.agency_id, is_active=True,
                                             role__in=(User.Role.ADVOCATE, User.Role.AGENCY_ADMIN)).exclude(pk=viewer.pk)
    return sorted(people, key=lambda person: str(person).casefold())


def grace_of(*, viewer) -> int:
    found = AgencySafety.objects.filter(agency_id=viewer.agency_id).values_list("grace_minutes", flat=True).first()
    return DEFAULT_GRACE_MINUTES if found is None else found


@dataclass
class SafetySettingsView:
    grace_minutes: int
    version: int
    crisis_resources: str
    staff: list[User]
    on_duty_ids: list[int]


def agency_safety_for(*, viewer) -> SafetySettingsView:
    _admin(viewer)
    settings = AgencySafety.objects.filter(agency_id=viewer.agency_id).first()
    staff = sorted(get_user_model().objects.filter(agency_id=viewer.agency_id, is_active=True,
                                                   role__in=(User.Role.ADVOCATE, User.Role.AGENCY_ADMIN)),
                   key=lambda person: str(person).casefold())
    return SafetySettingsView(
        grace_minutes=settings.grace_minutes if settings else DEFAULT_GRACE_MINUTES,
        version=settings.version if settings else 1,
        crisis_resources=viewer.agency.crisis_resources,
        staff=staff,
        on_duty_ids=sorted(OnDuty.objects.filter(agency_id=viewer.agency_id).values_list("user_id", flat=True)),
    )
