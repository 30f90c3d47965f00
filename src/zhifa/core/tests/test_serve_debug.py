"""``zhifa serve`` refuses DEBUG on an address other machines can reach (issue 13,
item 7): a clear message and exit 2, before anything runs."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.management import call_command

from zhifa.core.management.commands.serve import is_loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "zhifa.example.org"])
def test_debug_on_a_public_address_is_refused(settings, host: str) -> None:
    settings.DEBUG = True
    err = io.StringIO()
    with (
        mock.patch("zhifa.core.management.commands.serve.os.execv") as execv,
        mock.patch("zhifa.core.management.commands.serve.call_command") as command,
        pytest.raises(SystemExit) as exit_,
    ):
        call_command("serve", "--host", host, stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 2
    assert "DEBUG" in err.getvalue() and host in err.getvalue()
    execv.assert_not_called()
    command.assert_not_called()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_debug_on_loopback_is_served(settings, host: str) -> None:
    settings.DEBUG = True
    assert is_loopback(host)
    with (
        mock.patch("zhifa.core.management.commands.serve.os.execv") as execv,
        mock.patch("zhifa.core.management.commands.serve.call_command"),
    ):
        call_command("serve", "--host", host, stdout=io.StringIO())
    execv.assert_called_once()


def test_production_serves_on_any_address(settings) -> None:
    settings.DEBUG = False
    with (
        mock.patch("zhifa.core.management.commands.serve.os.execv") as execv,
        mock.patch("zhifa.core.management.commands.serve.call_command"),
    ):
        call_command("serve", "--host", "0.0.0.0", stdout=io.StringIO())
    execv.assert_called_once()
