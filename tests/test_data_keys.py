"""DATA_KEYS: the app will not start without them outside development, and says why."""

import base64
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from survivor_portal import data_keys

PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "SECRET_KEY": "x" * 20 + "-production-like-secret-with-enough-entropy-1234567890",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "portal.example.org",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True,
        env={**PRODUCTION, **env}, cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_data_keys(tmp_path):
    result = _manage("check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    assert "Set DATA_KEYS" in result.stderr and "make_data_key" in result.stderr


def test_a_wrong_key_is_named(tmp_path):
    short = base64.urlsafe_b64encode(b"sixteen bytes!!!").decode()
    result = _manage("check", DATA_KEYS=f"{data_keys.new_key()},{short}")
    assert result.returncode != 0 and "key 2 is 16 bytes" in result.stderr


def test_make_data_key_prints_a_key_without_any_key_set():
    result = _manage("make_data_key")
    assert result.returncode == 0, result.stderr
    assert data_keys.parse(result.stdout.strip()) and len(data_keys.parse(result.stdout.strip())[0]) == 32


def test_keys_are_read_newest_first_and_a_repeat_is_refused():
    old, new = data_keys.new_key(), data_keys.new_key()
    assert data_keys.parse(f" {new} , {old} ") == [base64.urlsafe_b64decode(new), base64.urlsafe_b64decode(old)]
    with pytest.raises(ImproperlyConfigured, match="twice"):
        data_keys.parse(f"{new},{new}")
    with pytest.raises(ImproperlyConfigured, match="not URL-safe base64"):
        data_keys.parse("not a key!")


def test_development_key_file_is_written_once_and_read(tmp_path):
    file = tmp_path / ".data_keys"
    assert data_keys.write_development_file(file) and not data_keys.write_development_file(file)
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    assert data_keys.load(value=None, file=file) == data_keys.parse(file.read_text())
    assert data_keys.load(value="", file=tmp_path / "none") == []
