from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone


# Written as SQL once rather than built by the ORM on every request: building these four
# subqueries cost more than running them. Plain SQL that SQLite and PostgreSQL both read.
_NEWS_SQL = """(
    EXISTS(SELECT 1 FROM accounts_resetcode r WHERE r.user_id = accounts_user.id
           AND (r.seen_at IS NULL OR (r.started_at IS NOT NULL AND r.stopped_at IS NULL AND r.used_at IS NULL)))
    OR EXISTS(SELECT 1 FROM consent_consentgrant g WHERE g.survivor_id = accounts_user.id AND g.ended_at IS NULL
              AND (g.awaiting_her OR g.expires_at <= %s))
    OR EXISTS(SELECT 1 FROM consent_disclosurenotice d WHERE d.survivor_id = accounts_user.id
              AND d.acknowledged_at IS NULL)
    OR EXISTS(SELECT 1 FROM consent_suggestion s WHERE s.survivor_id = accounts_user.id AND s.status = %s)
)"""


def news_flag() -> RawSQL:
    """Whether anything waits to be told to her at the top of her pages (accounts.context,
    consent.context): a reset code, sharing waiting for her yes or ending soon, a disclosure
    notice, a suggestion. Read with her account in the same query; when it is false, no page
    asks for the notices at all. It may say true when nothing is shown (a wider question than
    the notices' own), never false when something is (tests/accounts/test_reads_stay_reads.py)."""
    from survivor_portal.consent.models import Suggestion
    from survivor_portal.consent.services import RENEW_NOTICE_DAYS

    soon = timezone.now() + timedelta(days=RENEW_NOTICE_DAYS)
    return RawSQL(_NEWS_SQL, (soon, Suggestion.Status.WAITING.value), output_field=BooleanField())


def has_news(user) -> bool:
    """False only when her account was read with news_flag and it said nothing waits."""
    return getattr(user, "news", True) is not False


class AccountBackend(ModelBackend):
    """Django's own passphrase check, with one change: each request reads the person, her agency,
    her safety settings (look, Exit, PIN) and whether anything waits to be told to her in one
    query, since nearly every page needs all four."""

    def get_user(self, user_id):
        model = get_user_model()
        found = list(model._default_manager.select_related("agency", "safety").annotate(news=news_flag()).filter(pk=user_id)[:1])
        user = found[0] if found else None
        if user is not None:
            user.safety_read_with_account = True  # safety.services.safety_settings_of uses it
        return user if user is not None and self.user_can_authenticate(user) else None
