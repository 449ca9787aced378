"""CSRF checking that works with `Referrer-Policy: no-referrer`.

Under that policy browsers send `Origin: null` (and no Referer) on every POST, even to the
same site, so Django's origin check would refuse the app's own forms. When the browser's
Fetch Metadata says the request came from this very origin — or, on browsers too old to
send it, says nothing — the withheld origin is restored before Django's CsrfViewMiddleware
runs. Django's own checks, and the secret token, then apply unchanged.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def restore_withheld_origin(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if (
            request.META.get("HTTP_ORIGIN") == "null"
            and request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") == "same-origin"
        ):
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return get_response(request)

    return middleware
