"""Kafka authentication and authorization in a real hub (`kchat serve --auth sasl`): kcat with
SASL/PLAIN, confluent-kafka with SASL/OAUTHBEARER (a token from POST /v1/login), refusals of bad
credentials and tokens, kchat's ACLs; after every refusal the hub keeps serving (its own
moderator, logged in as the hub's service principal, still moderates)."""
import base64
import json
import logging
import socket
import struct
import time
import uuid

import pytest
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

from conftest import AuthHub, kcat_sasl_plain, mint_token, sasl_plain
from conftest import kcat as run_kcat
from test_api import call

SECRET = "test-secret-" + "s" * 40
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = AuthHub(tmp_path_factory.mktemp("sasl"), SECRET, extra=("--auth", "sasl"))
    for name in ("alice", "bob", "root"):
        assert call(hub.base, "POST", "/v1/users", {"name": name, "password": PASSWORD})[0] == 201
    yield hub
    hub.stop()


def plain(user, password=PASSWORD):
    return kcat_sasl_plain(user, password)


def kcat(hub, *args, input=None, timeout=20):
    return run_kcat(hub.bootstrap, *args, input=input, timeout=timeout)


def message(author="alice", data="hello there"):
    mid = str(uuid.uuid4())
    return mid, json.dumps({"id": mid, "channel": "general", "author": author, "data": data,
                            "timestamp": "2026-11-28T10:00:00Z"})


def controlled_ids(hub, user="alice"):
    out = kcat(hub, "-C", "-t", "chat_controlled", "-o", "beginning", "-e", "-q", *plain(user))
    return [json.loads(line)["id"] for line in out.stdout.splitlines() if line.strip()]


def login(hub, user):
    """The user's token from POST /v1/login, once per user (the API throttles login attempts)."""
    if user not in hub.tokens:
        hub.tokens[user] = call(hub.base, "POST", "/v1/login", {"name": user, "password": PASSWORD})[1]["token"]
    return hub.tokens[user]


def signed(token):
    """kcat's arguments for the header that signs authorship (the moderator delivers only signed messages)."""
    return ["-H", f"kchat-token={token}"]


def assert_hub_serves(hub):
    """A message produced now (PLAIN, signed with alice's token) comes out moderated: broker,
    moderator and logins all work."""
    assert hub.proc.poll() is None, "the hub exited"
    mid, value = message()
    out = kcat(hub, "-P", "-t", "chat", "-k", "general", *plain("alice"), *signed(login(hub, "alice")),
               input=value + "\n")
    assert out.returncode == 0 and "ERROR" not in out.stderr, out.stderr
    deadline = time.time() + 15
    while time.time() < deadline:
        if mid in controlled_ids(hub):
            return
        time.sleep(0.3)
    raise AssertionError(f"message {mid} did not come out moderated\n{hub.log()[-3000:]}")


def test_plain_user_produces_and_the_moderator_works_with_auth_on(hub):
    assert_hub_serves(hub)
    assert "authenticated as User:kchat:service (service)" in hub.log(), "the hub's services log in as the service"


@pytest.mark.parametrize("user,password", [("alice", "wrong password"), ("mallory", PASSWORD)])
def test_wrong_password_or_unknown_user_is_refused(hub, user, password):
    out = kcat(hub, "-L", *plain(user, password), timeout=30)
    assert out.returncode != 0
    assert "Authentication failed: invalid user name or password" in out.stderr, out.stderr
    assert_hub_serves(hub)


def test_a_client_without_sasl_gets_its_connection_closed_and_nothing_else(hub):
    host, port = hub.bootstrap.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        # Metadata v0 for every topic, without authenticating.
        body = struct.pack(">hhih", 3, 0, 1, 4) + b"test" + struct.pack(">i", -1)
        s.sendall(struct.pack(">i", len(body)) + body)
        assert s.recv(4096) == b"", "closed without an answer"
    out = kcat(hub, "-L", "-m", "3", timeout=20)
    assert out.returncode != 0 and "chat_controlled" not in out.stdout
    assert "Metadata before SASL authentication" in hub.log()
    assert_hub_serves(hub)


class Capture(logging.Handler):
    """librdkafka's log lines (where it reports SASL failures)."""

    def __init__(self, lines):
        super().__init__()
        self.lines = lines

    def emit(self, record):
        self.lines.append(record.getMessage())


def oauth_consumer(hub, token, errors):
    logger = logging.getLogger(f"rdkafka-{uuid.uuid4()}")
    logger.addHandler(Capture(errors))
    logger.propagate = False
    return Consumer({"bootstrap.servers": hub.bootstrap, "group.id": f"reader-{uuid.uuid4()}",
                     "security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": "OAUTHBEARER",
                     "oauth_cb": lambda _: (token, time.time() + 3600), "enable.auto.commit": False,
                     "reconnect.backoff.ms": 500, "error_cb": lambda e: errors.append(str(e)), "logger": logger})


def test_oauthbearer_token_from_login_consumes_chat_controlled(hub):
    assert_hub_serves(hub)
    token = call(hub.base, "POST", "/v1/login", {"name": "bob", "password": PASSWORD})[1]["token"]
    errors = []
    c = oauth_consumer(hub, token, errors)
    try:
        parts = c.list_topics("chat_controlled", timeout=10).topics["chat_controlled"].partitions
        c.assign([TopicPartition("chat_controlled", p, 0) for p in parts])
        got, deadline = [], time.time() + 15
        while not got and time.time() < deadline:
            got = [m for m in c.consume(10, 0.5) if not m.error()]
        assert got, f"nothing consumed; errors {errors}"
        assert json.loads(got[0].value())["channel"] == "general"
    finally:
        c.close()


def mint(*args):
    return mint_token(SECRET, *args)


def tampered(token):
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["user", "admin", "service"]
    claims["exp"] = claims["exp"] + 10 * 365 * 86400
    edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{edited}.{signature}"


def test_tampered_expired_and_foreign_tokens_are_refused(hub):
    good = call(hub.base, "POST", "/v1/login", {"name": "alice", "password": PASSWORD})[1]["token"]
    expired = mint("--user", "alice", "--lifetime", "60", "--backdate", "3600")
    foreign = mint_token("another-secret-" + "o" * 40, "--user", "alice")
    for name, token in [("tampered", tampered(good)), ("expired", expired), ("foreign", foreign)]:
        refusals = hub.log().count("SASL/OAUTHBEARER token from")
        errors = []
        c = oauth_consumer(hub, token, errors)
        try:
            with pytest.raises(KafkaException):
                c.list_topics("chat_controlled", timeout=5)
            c.poll(0.5)  # serves the queued log lines and errors
            assert any("Authentication failed: invalid or expired token" in e for e in errors), (name, errors)
            assert hub.log().count("SASL/OAUTHBEARER token from") > refusals, name
        finally:
            c.close()
    # The same path with a valid token works (the refusals above are about the tokens).
    errors = []
    c = oauth_consumer(hub, good, errors)
    try:
        assert "chat_controlled" in c.list_topics("chat_controlled", timeout=10).topics
    finally:
        c.close()
    assert_hub_serves(hub)


def produce_error(hub, user, topic, value="{}"):
    out = kcat(hub, "-P", "-t", topic, "-k", "k", *plain(user), input=value + "\n")
    return out.stderr


def test_users_may_not_write_the_moderated_topics(hub):
    for topic in ("chat_controlled", "chat_control"):
        assert "Topic authorization failed" in produce_error(hub, "alice", topic), topic
    assert_hub_serves(hub)


def test_a_user_cannot_join_a_service_group(hub):
    out = kcat(hub, "-G", "kchat-moderator", "chat", *plain("alice"), "-e", timeout=30)
    assert "Group authorization failed" in out.stderr, out.stderr
    assert_hub_serves(hub)


def test_a_user_cannot_delete_topics_nor_read_dead_letters_or_others_inboxes(hub):
    admin = AdminClient({"bootstrap.servers": hub.bootstrap, **sasl_plain("alice", PASSWORD)})
    for topic, future in admin.delete_topics(["chat_controlled"], operation_timeout=10).items():
        with pytest.raises(KafkaException) as refused:
            future.result(15)
        assert "TOPIC_AUTHORIZATION_FAILED" in str(refused.value) or "authorization" in str(refused.value).lower()
    for topic in ("chat_dlq", "chat_inbox.bob"):
        out = kcat(hub, "-C", "-t", topic, "-o", "beginning", "-e", *plain("alice"))
        assert "Topic authorization failed" in out.stderr or "not authorized" in out.stderr.lower(), (topic, out.stderr)
    assert controlled_ids(hub), "chat_controlled is still there"
    assert_hub_serves(hub)


def test_an_admin_can_write_chat_control(hub):
    event = json.dumps({"type": "unblocked", "user": "nobody", "timestamp": "2026-11-28T10:00:00Z"})
    stderr = produce_error(hub, "root", "chat_control", event)
    assert "ERROR" not in stderr and "failed" not in stderr.lower(), stderr
    assert "Topic authorization failed" in produce_error(hub, "bob", "chat_control", event)
    assert_hub_serves(hub)


def control_events(hub, user="alice"):
    out = kcat(hub, "-C", "-t", "chat_control", "-o", "beginning", "-e", "-q", *plain(user))
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def dead_letters(hub):
    """chat_dlq as an admin reads it."""
    out = kcat(hub, "-C", "-t", "chat_dlq", "-o", "beginning", "-e", "-q", *plain("root"))
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("case", ["unsigned", "someone else's token", "expired token"])
def test_a_message_not_signed_by_its_author_is_rejected_and_dead_lettered(hub, case):
    """Logged in as alice, kcat produces a message that says bob wrote it: without a token, with
    alice's token, or (as alice) with an expired token of hers. Never delivered; a `rejected`
    event and the record in chat_dlq, with the reason."""
    author, headers, reason = {
        "unsigned": ("bob", [], "unsigned message"),
        "someone else's token": ("bob", signed(login(hub, "alice")), "token names alice, message says bob"),
        "expired token": ("alice", signed(mint("--user", "alice", "--lifetime", "60", "--backdate", "3600")),
                          "token expired"),
    }[case]
    mid, value = message(author=author, data=f"forged as {author}")
    out = kcat(hub, "-P", "-t", "chat", "-k", "general", *plain("alice"), *headers, input=value + "\n")
    assert out.returncode == 0 and "ERROR" not in out.stderr, out.stderr
    deadline, rejected, letters = time.time() + 15, [], []
    while time.time() < deadline and not (rejected and letters):
        time.sleep(0.3)
        rejected = [e for e in control_events(hub) if e.get("type") == "rejected" and e.get("messageId") == mid]
        letters = [d for d in dead_letters(hub) if mid in d["value"]]
    assert rejected, f"no rejected event for {mid}\n{hub.log()[-3000:]}"
    assert rejected[0]["user"] == author and reason in rejected[0]["reason"], rejected
    assert letters and reason in letters[0]["reason"] and json.loads(letters[0]["value"])["id"] == mid, letters
    assert_hub_serves(hub)  # everything before it on the partition has been moderated
    assert mid not in controlled_ids(hub), "never delivered"
