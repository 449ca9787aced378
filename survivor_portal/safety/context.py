from django.conf import settings
from django.http import HttpRequest


def safety(request: HttpRequest) -> dict:
    return {"app_name": "Notes", "exit_url": settings.EXIT_URL}
