from django.db.models import QuerySet
from django.utils.translation import gettext as _

from survivor_portal.accounts.models import Invite, User
from survivor_portal.errors import NotAllowed


def invites_for(*, viewer: User) -> QuerySet[Invite]:
    """The invites of the viewer's agency, newest first; only its admins may list them."""
    if viewer.role != User.Role.AGENCY_ADMIN or viewer.agency_id is None:
        raise NotAllowed(_("Only an agency admin can see invite codes."))
    return Invite.objects.filter(agency_id=viewer.agency_id).select_related("used_by")[:50]
