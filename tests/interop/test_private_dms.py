"""Private DMs (issue 12 item 5) in a real hub with broker auth on (`kchat serve --auth sasl`): a DM
`@alice+bob` goes to chat_inbox.alice and chat_inbox.bob only; chat_controlled, which every user
reads, never carries it; eve cannot read anyone's inbox nor chat_private (the store's copy); the
REST API answers DM history to the two participants only; `kchat read` reads the reader's own
inbox and says so in one line when the broker refuses someone else's.

Records are produced with SASL/PLAIN and the sender's token in the `kchat-token` header, so the
tests hold whether or not the moderator checks signed authorship."""
import json
import subprocess
import time
import uuid

import pytest

from conftest import KCHAT_BIN, AuthHub, kcat_sasl_plain
from conftest import kcat as run_kcat
from test_api import call

SECRET = "test-secret-" + "d" * 40
PASSWORD = "correct horse battery"
USERS = ("alice", "bob", "eve", "root")


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = AuthHub(tmp_path_factory.mktemp("private-dms"), SECRET)
    for name in USERS:
        assert call(hub.base, "POST", "/v1/users", {"name": name, "password": PASSWORD})[0] == 201
        hub.tokens[name] = call(hub.base, "POST", "/v1/login", {"name": name, "password": PASSWORD})[1]["token"]
    yield hub
    hub.stop()


def plain(user):
    return kcat_sasl_plain(user, PASSWORD)


def kcat(hub, *args, input=None, timeout=30):
    return run_kcat(hub.bootstrap, *args, input=input, timeout=timeout)


def send(hub, author, channel, data):
    """Produces a message to `chat` as `author` (PLAIN + token header); returns its id."""
    mid = str(uuid.uuid4())
    value = json.dumps({"id": mid, "channel": channel, "author": author, "data": data,
                        "timestamp": "2026-11-28T10:00:00Z"})
    out = kcat(hub, "-P", "-t", "chat", "-k", channel, "-H", f"kchat-token={hub.tokens[author]}", *plain(author),
               input=value + "\n")
    assert out.returncode == 0 and "ERROR" not in out.stderr, out.stderr
    return mid


def read(hub, user, topic):
    """(ids, stderr) of everything in `topic`, read as `user`."""
    out = kcat(hub, "-C", "-t", topic, "-o", "beginning", "-e", "-q", *plain(user))
    ids = [json.loads(line)["id"] for line in out.stdout.splitlines() if line.strip()]
    return ids, out.stderr


def wait_for(hub, user, topic, mid, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if mid in read(hub, user, topic)[0]:
            return
        time.sleep(0.3)
    raise AssertionError(f"{mid} not in {topic} for {user}\n{hub.log()[-3000:]}")


@pytest.fixture(scope="module")
def dm(hub):
    """alice -> bob, then a public message (once it is moderated, so is the DM before it)."""
    secret = send(hub, "alice", "@alice+bob", "the password is swordfish")
    public = send(hub, "alice", "general", "nothing to see here")
    wait_for(hub, "eve", "chat_controlled", public)
    return secret


def test_the_dm_is_in_both_inboxes_and_never_on_chat_controlled(hub, dm):
    wait_for(hub, "bob", "chat_inbox.bob", dm)
    wait_for(hub, "alice", "chat_inbox.alice", dm)
    ids, _ = read(hub, "eve", "chat_controlled")
    assert ids and dm not in ids, "chat_controlled carries no DM"
    out = kcat(hub, "-C", "-t", "chat_controlled", "-o", "beginning", "-e", "-q", *plain("eve"))
    assert "swordfish" not in out.stdout


@pytest.mark.parametrize("topic", ["chat_inbox.alice", "chat_inbox.bob", "chat_private"])
def test_eve_cannot_read_their_inboxes_nor_the_stores_copy(hub, dm, topic):
    wait_for(hub, "bob", "chat_inbox.bob", dm)
    ids, stderr = read(hub, "eve", topic)
    assert not ids
    assert "Topic authorization failed" in stderr or "not authorized" in stderr.lower(), (topic, stderr)


def test_only_the_participants_get_the_dm_history_from_the_rest_api(hub, dm):
    path = "/v1/channels/@alice+bob/messages"
    deadline = time.time() + 20
    while time.time() < deadline:
        status, body = call(hub.base, "GET", path, token=hub.tokens["bob"])
        if status == 200 and any(m["id"] == dm for m in body["messages"]):
            break
        time.sleep(0.3)
    else:
        raise AssertionError(f"the store did not get the DM: {status} {body}")
    assert call(hub.base, "GET", path, token=hub.tokens["alice"])[0] == 200
    assert call(hub.base, "GET", path, token=hub.tokens["eve"])[0] == 403
    assert call(hub.base, "GET", path)[0] == 401


def kchat_read(hub, login, as_user, channel="@alice+bob"):
    return subprocess.run([KCHAT_BIN, "read", "--brokers", hub.bootstrap, "--auth", "none", *plain(login), "-u", as_user,
                           "-c", channel],
                          capture_output=True, text=True, timeout=60)


def test_kchat_read_prints_a_dm_to_its_participant_from_their_inbox(hub, dm):
    wait_for(hub, "bob", "chat_inbox.bob", dm)
    out = kchat_read(hub, "bob", "bob")
    assert out.returncode == 0, out.stderr
    assert "alice: the password is swordfish" in out.stdout


def test_kchat_read_of_someone_elses_inbox_is_refused_in_one_line(hub, dm):
    wait_for(hub, "bob", "chat_inbox.bob", dm)
    out = kchat_read(hub, "eve", "alice")  # eve logged in, claiming to be alice
    assert out.returncode != 0
    assert "swordfish" not in out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "TOPIC_AUTHORIZATION_FAILED" in lines[0] and "chat_inbox.alice" in lines[0], out.stderr


def test_kchat_read_of_a_dm_channel_one_is_not_in_prints_nothing_of_it(hub, dm):
    out = kchat_read(hub, "eve", "eve")
    assert out.returncode != 0 and "swordfish" not in out.stdout
    assert "not a DM of eve" in out.stderr, out.stderr
    own = kchat_read(hub, "eve", "eve", channel="@bob+eve")
    assert own.returncode == 0 and own.stdout == "", own.stderr  # no DM to eve yet: no inbox, nothing to print
