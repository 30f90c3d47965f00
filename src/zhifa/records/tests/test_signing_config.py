"""Production never signs with a generated key; `zhifa records keygen` makes one."""

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from zhifa.records.signing import public_key_hex, signing_key


def test_production_refuses_to_generate_a_key(settings, tmp_path):
    settings.RECORDS_SIGNING_KEY = ""
    settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "missing.pem"
    settings.RECORDS_GENERATE_SIGNING_KEY = False
    with pytest.raises(ImproperlyConfigured, match="ZHIFA_RECORDS_SIGNING_KEY"):
        signing_key()
    assert not (tmp_path / "missing.pem").exists()


def test_keygen_writes_a_usable_key_once(settings, tmp_path):
    path = tmp_path / "key.pem"
    out = StringIO()
    call_command("records", "keygen", str(path), stdout=out)
    assert (path.stat().st_mode & 0o777) == 0o600
    settings.RECORDS_SIGNING_KEY = ""
    settings.RECORDS_SIGNING_KEY_FILE = path
    settings.RECORDS_GENERATE_SIGNING_KEY = False
    assert public_key_hex(signing_key()) in out.getvalue()
    with pytest.raises(CommandError, match="refusing to overwrite"):
        call_command("records", "keygen", str(path), stdout=StringIO())
