from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


def news_flag() -> Exists:
    """Whether anything waits to be told to her at the top of her pages (accounts.context,
    consent.context): a reset code, sharing waiting for her yes or ending soon, a disclosure
    notice, a suggestion. Read with her account in the same query; when it is false, no page
    asks for the notices at all. It may say true when nothing is shown (a wider question than
    the notices' own), never false when something is."""
    from survivor_portal.accounts.models import ResetCode
    from survivor_portal.consent.models import ConsentGrant, DisclosureNotice, Suggestion
    from survivor_portal.consent.services import RENEW_NOTICE_DAYS

    her = OuterRef("pk")
    soon = timezone.now() + timedelta(days=RENEW_NOTICE_DAYS)
    return (
        Exists(ResetCode.objects.filter(user=her).filter(
            Q(seen_at__isnull=True) | Q(started_at__isnull=False, stopped_at__isnull=True, used_at__isnull=True)))
        | Exists(ConsentGrant.objects.filter(survivor=her, ended_at__isnull=True).filter(
            Q(awaiting_her=True) | Q(expires_at__lte=soon)))
        | Exists(DisclosureNotice.objects.filter(survivor=her, acknowledged_at__isnull=True))
        | Exists(Suggestion.objects.filter(survivor=her, status=Suggestion.Status.WAITING))
    )


def has_news(user) -> bool:
    """False only when her account was read with news_flag and it said nothing waits."""
    return getattr(user, "news", True) is not False


class AccountBackend(ModelBackend):
    """Django's own passphrase check, with one change: each request reads the person, her agency
    and whether anything waits to be told to her in one query, since nearly every page needs
    all three."""

    def get_user(self, user_id):
        model = get_user_model()
        user = model._default_manager.select_related("agency").annotate(news=news_flag()).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
