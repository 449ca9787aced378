"""Exit answers at once and ends her session on the server even while the database or Redis
is down.

Exit is answered before anything that needs a backend runs (the `exit_first` middleware sits
ahead of the session): the redirect or 204, her session and CSRF cookies deleted by name,
Clear-Site-Data. Her session key is then written to a small register on this machine's disk
before the answer leaves, and from that moment no request carrying that key is given a
session: the middleware drops the cookie before the session layer could load it, whatever the
database or a cache still holds (a cached copy in Redis included). After the answer is sent the
session row is deleted; if the database cannot do it now, the next requests try again (at most
every few seconds, each after its own answer is sent) until it can, and only then does the key
leave the register. So a copied or restored cookie can never reopen her data, not even when the
database comes back with the old row in it.

The register is a file shared by every worker on this machine (EXIT_REGISTER, in the system's
temporary folder by default). App processes on several machines need it on a shared folder.
"""

import logging
import re
import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from survivor_portal.registers import KeyRegister
from survivor_portal.safety.cookies import forget_session
from survivor_portal.safety.disguises import EXIT_CHOICES

# Exit wipes storage; "cache" is left out on purpose: Chrome can stall for seconds clearing it.
# Cookies are deleted by name instead (cookies.forget_session), so the phone keeps its look.
EXIT_CLEAR = '"storage"'
# Longer than any session can live without a request (her idle time is at most 30 minutes).
KEEP_SECONDS = 12 * 60 * 60
# While the database stays down, tries space out (each may hold a worker for its 2 s timeout).
FIRST_RETRY_SECONDS, LONGEST_RETRY_SECONDS = 2, 30
_KEY = re.compile(r"[a-z0-9]{8,64}")

logger = logging.getLogger("survivor_portal.outage")


class _Register(KeyRegister):
    """The ended sessions, and the retries that delete them."""

    def __init__(self) -> None:
        super().__init__("ended", setting="EXIT_REGISTER", keep_seconds=KEEP_SECONDS)
        self._next_try = 0.0
        self._wait = FIRST_RETRY_SECONDS

    def due(self) -> bool:
        return bool(self.keys()) and time.monotonic() >= self._next_try

    def finish(self) -> None:
        """Delete the sessions of every key in the register that the database can delete now."""
        store = import_module(settings.SESSION_ENGINE).SessionStore
        done = set()
        for key in list(self.keys()):
            try:
                store(session_key=key).delete()
            except Exception as error:  # the database (or cache) is still down: try again later
                if self._wait == FIRST_RETRY_SECONDS:  # one line per outage, not one per try
                    logger.warning("Ending sessions after Exit must wait: %s: %s", type(error).__name__, error)
                self._next_try = time.monotonic() + self._wait
                self._wait = min(self._wait * 2, LONGEST_RETRY_SECONDS)
                break
            done.add(key)
        else:
            self._next_try, self._wait = 0.0, FIRST_RETRY_SECONDS
        if done:
            self.remove(done)


register = _Register()


def is_ended(key: str | None) -> bool:
    return bool(key) and key in register.keys()


def _after_answer(response: HttpResponse, work: Callable[[], None]) -> None:
    """Run once the answer has been handed to the server (gunicorn has written it by then)."""
    response._resource_closers.append(work)


def exit_answer(request: HttpRequest) -> HttpResponse:
    """GET /exit (the link without JavaScript) and POST /exit (the beacon). Needs no backend."""
    if request.method == "POST":
        response: HttpResponse = HttpResponse(status=204)  # the beacon wants nothing to follow
    else:
        # Her own exit site comes in the link, as the page she left knew it; the database may be down.
        chosen = EXIT_CHOICES.get(request.GET.get("to", ""), ("", None))[0]
        response = HttpResponseRedirect(chosen or settings.EXIT_URL)
    response["Clear-Site-Data"] = EXIT_CLEAR
    forget_session(response)
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if _KEY.fullmatch(key):
        try:
            register.add(key)
        except OSError as error:  # a full or read-only disk must not stop her leaving
            logger.error("Could not note an ended session: %s", error)
        _after_answer(response, register.finish)
    return response


def exit_first(get_response: Callable[[HttpRequest], HttpResponse]):
    """Answers Exit before the session, the database or Redis is touched, and keeps a session
    ended by Exit from ever being loaded again (see the module's note)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path == "/exit":
            return exit_answer(request)
        ended = is_ended(request.COOKIES.get(settings.SESSION_COOKIE_NAME))
        if ended:
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        response = get_response(request)
        if ended and settings.SESSION_COOKIE_NAME not in response.cookies:
            forget_session(response)
        # Someone is using an ended key right now, or it is time to try again: finish what we can.
        if ended or register.due():
            _after_answer(response, register.finish)
        return response

    return middleware
