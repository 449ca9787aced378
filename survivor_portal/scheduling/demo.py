"""Demo meetings: demo_advocate offers weekday times for the next two weeks; demo_survivor
has booked one of them."""

from datetime import time, timedelta

from survivor_portal.accounts.models import User
from survivor_portal import times
from survivor_portal.scheduling import services
from survivor_portal.scheduling.models import Appointment, Slot


def seed_meetings(**_kwargs) -> None:
    sam = User.objects.get(username="demo_advocate")
    maya = User.objects.get(username="demo_survivor")
    if not Slot.objects.filter(advocate=sam, starts_at__gt=times.timezone.now()).exists():
        tomorrow = times.today_in(sam.agency) + timedelta(days=1)
        services.slots_weekly(actor=sam, weekdays=[0, 1, 2, 3, 4], start_time=time(10), end_time=time(12),
                              slot_minutes=30, first_day=tomorrow, weeks=2)
        services.slots_weekly(actor=sam, weekdays=[1, 3], start_time=time(14), end_time=time(16), slot_minutes=60,
                              first_day=tomorrow, weeks=2, mode="in_person", place_label="Office, side entrance")
    if not Appointment.objects.filter(survivor=maya, status=Appointment.Status.BOOKED,
                                      slot__starts_at__gt=times.timezone.now()).exists():
        first = Slot.objects.filter(advocate=sam, starts_at__gt=times.timezone.now() + timedelta(days=1),
                                    withdrawn_at__isnull=True).exclude(appointments__status="booked").first()
        if first is not None:
            services.appointment_book(actor=maya, slot_id=first.pk, contact="i_will_call")
