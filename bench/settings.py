"""The app's own settings, plus one bare Django view to compare against (bench/urls.py)."""

from survivor_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
