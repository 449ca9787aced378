"""Demo check-ins (seed_demo): Alex and Sam are on duty at Northside; Alex went out yesterday
and came back; Sam went out two hours ago and has not checked back in, so both see the alert."""

from datetime import timedelta

from django.utils import timezone

from survivor_portal.accounts.models import User
from survivor_portal.outreach import services
from survivor_portal.outreach.models import CheckIn, CheckInEvent


def _moved(check_in: CheckIn, by: timedelta) -> None:
    """As if it had been made `by` earlier (demo data only: the app never moves a check-in's past)."""
    CheckIn.objects.filter(pk=check_in.pk).update(started_at=check_in.started_at - by, back_by=check_in.back_by - by,
                                                  alert_at=check_in.alert_at - by,
                                                  ended_at=check_in.ended_at and check_in.ended_at - by)
    for event in check_in.events.all():
        CheckInEvent.objects.filter(pk=event.pk).update(at=event.at - by, back_by=event.back_by and event.back_by - by)


def seed_check_ins(**_kwargs) -> None:
    alex, sam = User.objects.get(username="demo_admin"), User.objects.get(username="demo_advocate")
    if CheckIn.objects.filter(agency_id=alex.agency_id).exists():
        return
    services.agency_safety_update(actor=alex, grace_minutes=15, on_duty_ids=[alex.pk, sam.pk],
                                  crisis_resources=alex.agency.crisis_resources)
    yesterday = services.check_in_start(actor=alex, place="Outreach, bus station", back_in_minutes=120,
                                        colleague_ids=[sam.pk], note="Phone on silent: call twice")
    services.check_in_end(actor=alex, check_in_id=yesterday.pk)
    _moved(CheckIn.objects.get(pk=yesterday.pk), timedelta(days=1))
    today = services.check_in_start(actor=sam, place="Home visit, north side", back_in_minutes=60,
                                    with_others="Interpreter")
    _moved(today, timedelta(hours=2))
