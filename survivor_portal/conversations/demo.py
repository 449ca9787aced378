"""Demo messages: demo_survivor and her advocate at Northside Shelter have written to each other."""

from survivor_portal.accounts.models import User
from survivor_portal.consent.selectors import messages_grant
from survivor_portal.conversations import services
from survivor_portal.conversations.models import Message


def seed_messages(**_kwargs) -> None:
    maya = User.objects.get(username="demo_survivor")
    sam = User.objects.get(username="demo_advocate")
    if messages_grant(sam.agency_id, maya.pk) is None or Message.objects.filter(conversation__survivor=maya).exists():
        return
    conversation = services.conversation_open(actor=maya, agency_id=sam.agency_id)
    services.message_send(actor=maya, conversation_id=conversation.pk,
                          body="Hi Sam, can we talk about the housing forms before our meeting?")
    services.message_send(actor=sam, conversation_id=conversation.pk,
                          body="Of course. Bring the letter from the landlord if you can. We can fill the forms in together.")
