"""The kchat CLI against a hub with authentication on (`kchat serve`'s default): each command logs
in as its user through the hub's API (registering a new name, keeping the token 0600) and
authenticates to the broker with SASL/OAUTHBEARER; what the ACLs refuse is said in one line and
nothing is written. The attacks of issue 12 from the CLI: unblocking oneself, blocking others,
deleting a channel, reading the raw topic, or connecting without logging in."""
import json
import os
import stat
import subprocess
import time

import pytest

from conftest import KCHAT_BIN, AuthHub
from test_api import call

SECRET = "test-secret-" + "c" * 40


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = AuthHub(tmp_path_factory.mktemp("cliauth"), SECRET)  # no --auth: authentication is the default
    yield hub
    hub.stop()


def kchat(hub, user, *args, password=None, auth=None, timeout=60):
    env = {k: v for k, v in os.environ.items() if k not in ("KCHAT_BROKERS", "KCHAT_AUTH", "KCHAT_API")}
    env["KCHAT_PASSWORD"] = password or f"{user}'s password"
    extra = ["--auth", auth] if auth else []
    return subprocess.run([KCHAT_BIN, *args, "-u", user, "--brokers", hub.bootstrap, "--api", hub.base,
                           "--data", str(hub.tmp / f"client-{user}"), *extra],
                          capture_output=True, text=True, timeout=timeout, env=env)


def controlled(hub, user="root"):
    out = kchat(hub, user, "read", "--json")
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def test_send_logs_in_registers_keeps_the_token_and_the_message_is_delivered(hub):
    out = kchat(hub, "alice", "send", "hello from the cli")
    assert out.returncode == 0, out.stderr
    token = hub.tmp / "client-alice" / "tokens" / f"alice@127.0.0.1_{hub.base.rsplit(':', 1)[1]}.json"
    assert stat.S_IMODE(os.stat(token).st_mode) == 0o600
    assert "authenticated as User:alice (user)" in hub.log()
    deadline = time.time() + 20
    while time.time() < deadline:
        if any(m["data"] == "hello from the cli" and m["author"] == "alice" for m in controlled(hub)):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("alice's message was not delivered")
    # The saved token is used: a wrong password does not matter any more.
    again = kchat(hub, "alice", "send", "second", password="not alice's password at all")
    assert again.returncode == 0, again.stderr


def test_a_wrong_password_is_refused_in_one_line(hub):
    assert kchat(hub, "bob", "send", "hi").returncode == 0  # registers bob
    # Another machine (a data directory without bob's token) with a wrong password.
    env = {**os.environ, "KCHAT_PASSWORD": "somebody else's guess"}
    out = subprocess.run([KCHAT_BIN, "send", "-u", "bob", "--brokers", hub.bootstrap, "--api", hub.base,
                          "--data", str(hub.tmp / "bob-elsewhere"), "hi"], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode != 0
    assert out.stderr.strip() == "Error: login as bob failed: wrong user name or password", out.stderr


@pytest.mark.parametrize("args,action", [
    (["users", "unblock", "eve"], "unblocking a user (writing chat_control)"),
    (["users", "block", "alice"], "blocking a user (writing chat_control)"),
    (["channels", "delete", "general"], "deleting a channel (writing chat_channels)"),
    (["channels", "create", "evechannel"], "creating a channel (writing chat_channels)"),
])
def test_a_user_cannot_block_unblock_or_touch_the_channel_directory(hub, args, action):
    out = kchat(hub, "eve", *args)
    assert out.returncode != 0
    assert out.stderr.strip().startswith(f"Error: refused by the broker: {action} is not allowed for eve"), out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_an_admin_may_block_and_unblock(hub):
    out = kchat(hub, "root", "users", "block", "mallory")
    assert out.returncode == 0, out.stderr
    deadline = time.time() + 20
    while time.time() < deadline:
        users = {u["name"]: u for u in call(hub.base, "GET", "/v1/users")[1]["users"]}
        if users.get("mallory", {}).get("blocked"):
            break
        time.sleep(0.5)
    else:
        raise AssertionError("root's block of mallory did not land")
    assert kchat(hub, "root", "users", "unblock", "mallory").returncode == 0


def test_reading_the_raw_topic_is_refused(hub):
    out = kchat(hub, "eve", "read", "--unmoderated", timeout=30)
    assert out.returncode != 0
    assert "not allowed to read chat" in out.stderr and "Topic authorization failed" in out.stderr, out.stderr


def test_without_logging_in_nothing_gets_through_and_the_cli_says_why(hub):
    out = kchat(hub, "alice", "send", "anonymous attempt", "-X", "message.timeout.ms=3000", auth="none")
    assert out.returncode != 0
    assert "not logged in" in out.stderr, out.stderr
    time.sleep(1)
    assert not any(m["data"] == "anonymous attempt" for m in controlled(hub))
    assert "before SASL authentication" in hub.log()
