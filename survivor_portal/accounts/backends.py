from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators
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


def news_flag(soon) -> RawSQL:
    """Whether anything waits to be told to her at the top of her pages (accounts.context,
    consent.context): a reset code, sharing waiting for her yes or ending soon, a disclosure
    notice, a suggestion. Read with her account in the same query; when it is false, no page
    asks for the notices at all. It may say true when nothing is shown (a wider question than
    the notices' own), never false when something is (tests/accounts/test_reads_stay_reads.py)."""
    from survivor_portal.consent.models import Suggestion

    return RawSQL(_NEWS_SQL, (soon, Suggestion.Status.WAITING.value), output_field=BooleanField())


def has_news(user) -> bool:
    """False only when her account was read with news_flag and it said nothing waits."""
    return getattr(user, "news", True) is not False


def account_queryset(user_id, soon):
    """Her account, agency, safety settings and news flag (`soon`: sharing ending before then is news)."""
    return get_user_model()._default_manager.select_related("agency", "safety").annotate(news=news_flag(soon)).filter(pk=user_id)[:1]


class _AccountRead:
    """The read every request makes: her account, her agency, her safety settings and the news
    flag, in one query. The ORM builds that query (and how to turn its row into the three
    objects) once per process and database; each request then only runs it with her id and the
    time, the way Django itself runs it (compiler.results_iter, from_db, the select_related
    populators). Building it took more than half of the cheapest request's time.
    tests/accounts/test_account_read.py holds it to what the plain queryset reads."""

    _SOON, _ID = datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt_timezone.utc), -7_919_017

    def __init__(self) -> None:
        self._built: dict[str, tuple] = {}

    def _build(self, alias: str) -> tuple:
        compiler = account_queryset(self._ID, self._SOON).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = [("soon" if value == self._SOON else "id" if value == self._ID else None, value) for value in params]
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)
        return compiler, sql, slots, (start, end), init_list, populators, compiler.annotation_col_map

    def __call__(self, user_id, soon):
        alias = router.db_for_read(get_user_model())
        built = self._built.get(alias) or self._built.setdefault(alias, self._build(alias))
        compiler, sql, slots, (start, end), init_list, populators, annotations = built
        params = [soon if slot == "soon" else user_id if slot == "id" else value for slot, value in slots]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = next(iter(compiler.results_iter([[row]])))
        user = get_user_model().from_db(alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, user)
        for name, position in annotations.items():
            setattr(user, name, row[position])
        return user


read_account = _AccountRead()


class AccountBackend(ModelBackend):
    """Django's own passphrase check, with one change: each request reads the person, her agency,
    her safety settings (look, Exit, PIN) and whether anything waits to be told to her in one
    query, since nearly every page needs all four."""

    def get_user(self, user_id):
        from survivor_portal.consent.services import RENEW_NOTICE_DAYS

        user = None
        if str(user_id).isdigit() and 0 < int(user_id) < 2**63:
            user = read_account(int(user_id), timezone.now() + timedelta(days=RENEW_NOTICE_DAYS))
        if user is not None:
            user.safety_read_with_account = True  # safety.services.safety_settings_of uses it
        return user if user is not None and self.user_can_authenticate(user) else None
