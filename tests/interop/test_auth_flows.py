"""The existing reliability flows with authentication on (`kchat serve`'s default): the hub plus a
second moderator that logs in as a service (SASL/PLAIN with a service token as the password),
signed messages from several users over SASL, the second moderator killed with -9 mid-stream;
every message is moderated and stored (in PostgreSQL when the test command provides one) once,
nothing is rejected, and the dead moderator's partitions go back to the hub's."""
import json
import os
import signal
import subprocess
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

from conftest import KCHAT_BIN, free_port, mint_token, sasl_plain, wait_for_port
from test_api import call, wait_until
from test_scale_out import database, ids_or_none, tail
from test_services_reliability import all_ids

SECRET = "auth-flows-secret-" + "f" * 40
ENV = {**os.environ, "KCHAT_JWT_SECRET": SECRET}


def mint(user, *roles):
    return mint_token(SECRET, "--user", user, "--lifetime", "3600", *[arg for role in roles for arg in ("--role", role)])


plain = sasl_plain


def moderators(bootstrap, creds):
    admin = AdminClient({"bootstrap.servers": bootstrap, **creds})  # kept alive until the answer is in
    try:
        group = admin.describe_consumer_groups(["kchat-moderator"])["kchat-moderator"].result(timeout=10)
    except Exception:  # the group is rebalancing: ask again
        return -1
    return len(group.members)


def test_two_moderators_kill9_and_the_store_with_authentication_on(tmp_path):
    kafka, http = free_port(), free_port()
    data = tmp_path / "hub"
    hub = subprocess.Popen([KCHAT_BIN, "serve", "--admin", "root", "--listen", f"127.0.0.1:{kafka}",
                            "--http", f"127.0.0.1:{http}", "--data", str(data), "--db", database(tmp_path)],
                           stdout=open(tmp_path / "hub.out", "w"), stderr=subprocess.STDOUT, env=ENV)
    second = None
    try:
        wait_for_port(kafka)
        wait_for_port(http)
        bootstrap, base = f"127.0.0.1:{kafka}", f"http://127.0.0.1:{http}"
        ops = plain("ops", mint("ops", "service"))
        second = subprocess.Popen([KCHAT_BIN, "moderator", "--brokers", bootstrap, "--require-author-token",
                                   *[a for k, v in ops.items() for a in ("-X", f"{k}={v}")]],
                                  stdout=open(tmp_path / "moderator-2.log", "w"), stderr=subprocess.STDOUT, env=ENV)
        assert wait_until(lambda: moderators(bootstrap, ops) == 2, timeout=60), tail(tmp_path / "moderator-2.log")

        channel = f"auth-{uuid.uuid4().hex[:8]}"
        users = [f"flow{n}" for n in range(5)]
        tokens = {user: mint(user) for user in users}
        producers = {user: Producer({"bootstrap.servers": bootstrap, "linger.ms": 2, **plain(user, tokens[user])})
                     for user in users}
        sent = []
        for i in range(400):
            user = users[i % len(users)]
            mid = f"{channel}-{i:04d}"
            sent.append(mid)
            producers[user].produce("chat", key=channel, headers=[("kchat-token", tokens[user])], value=json.dumps(
                {"id": mid, "channel": channel, "author": user, "data": f"hello {i}",
                 "timestamp": "2026-11-28T10:00:00.000Z"}))
            if i == 150:
                for p in producers.values():
                    assert p.flush(30) == 0
                time.sleep(0.5)  # the second moderator has some of them in hand
                second.send_signal(signal.SIGKILL)
                second.wait(10)
        for p in producers.values():
            assert p.flush(30) == 0

        # Every message moderated (chat_controlled, read as root) and stored once.
        def stored():
            return sorted(set(ids_or_none(base, channel)))

        assert wait_until(lambda: stored() == sorted(sent), timeout=120), \
            f"{len(stored())} of {len(sent)} stored\n{tail(data / 'hub.log')}"
        assert len(all_ids(base, channel)) == len(sent), "stored once each"
        reader = Consumer({"bootstrap.servers": bootstrap, "group.id": f"check-{uuid.uuid4()}",
                           "enable.auto.commit": False, **plain("root", mint("root", "user", "admin"))})
        try:
            parts = reader.list_topics("chat_controlled", timeout=10).topics["chat_controlled"].partitions
            reader.assign([TopicPartition("chat_controlled", p, 0) for p in parts])
            seen, deadline = set(), time.time() + 30
            while not set(sent) <= seen and time.time() < deadline:
                for m in reader.consume(500, 0.5):
                    if not m.error() and m.key() == channel.encode():
                        seen.add(json.loads(m.value())["id"])
            assert set(sent) <= seen, f"{len(set(sent) - seen)} never moderated"
            # Nothing rejected: every token named its author.
            parts = reader.list_topics("chat_control", timeout=10).topics["chat_control"].partitions
            reader.assign([TopicPartition("chat_control", p, 0) for p in parts])
            rejected, deadline = [], time.time() + 5
            while time.time() < deadline:
                for m in reader.consume(500, 0.5):
                    if not m.error():
                        event = json.loads(m.value())
                        if event.get("type") == "rejected" and event.get("channel") == channel:
                            rejected.append(event)
            assert not rejected, rejected[:3]
        finally:
            reader.close()
        assert "authenticated as User:ops (service)" in (data / "hub.log").read_text()
    finally:
        if second and second.poll() is None:
            second.kill()
        hub.terminate()
        assert hub.wait(30) == 0, tail(data / "hub.log")


def test_scale_out_topology_with_authentication_on(tmp_path):
    """The multi-machine layout against a secured cluster: a broker that takes only tokens signed by
    the hub's secret and enforces kchat's ACLs (`kchat broker --auth sasl`, standing in for Kafka
    with its OIDC validator), `kchat serve --brokers ... --auth sasl` (moderator requiring signed
    authorship, store, API), a separate `kchat api` and two more moderators, all logged in as a
    service; users' signed messages are moderated once and stored, an unsigned one is not."""
    kafka, http, api_port = free_port(), free_port(), free_port()
    bootstrap = f"127.0.0.1:{kafka}"
    procs = {}

    def start(name, *args):
        procs[name] = subprocess.Popen([KCHAT_BIN, *args], stdout=open(tmp_path / f"{name}.log", "w"),
                                       stderr=subprocess.STDOUT, env=ENV)

    try:
        start("broker", "broker", "--auth", "sasl", "--listen", bootstrap, "--data", str(tmp_path / "broker"))
        wait_for_port(kafka)
        ops = plain("ops", mint("ops", "service"))
        service = [a for k, v in ops.items() for a in ("-X", f"{k}={v}")]
        db = database(tmp_path)
        start("serve", "serve", "--brokers", bootstrap, "--auth", "sasl", "--listen", f"127.0.0.1:{free_port()}",
              "--http", f"127.0.0.1:{http}", "--db", db, "--data", str(tmp_path / "hub"), *service)
        start("api", "api", "--brokers", bootstrap, "--db", db, "--http", f"127.0.0.1:{api_port}",
              "--data", str(tmp_path / "api"), *service)
        for n in (2, 3):
            start(f"moderator-{n}", "moderator", "--brokers", bootstrap, "--require-author-token", *service)
        wait_for_port(http)
        wait_for_port(api_port)
        assert wait_until(lambda: moderators(bootstrap, ops) == 3, timeout=60), tail(tmp_path / "serve.log")

        # Anonymous clients get nothing from this broker.
        anonymous = subprocess.run(["kcat", "-b", bootstrap, "-L", "-m", "3"], capture_output=True, text=True, timeout=20)
        assert "chat_controlled" not in anonymous.stdout

        channel = f"scale-{uuid.uuid4().hex[:8]}"
        users = [f"so{n}" for n in range(6)]
        tokens = {user: mint(user) for user in users}
        sent = []
        for user in users:
            producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 2, **plain(user, tokens[user])})
            for i in range(50):
                mid = f"{channel}-{user}-{i:02d}"
                sent.append(mid)
                producer.produce("chat", key=channel, headers=[("kchat-token", tokens[user])], value=json.dumps(
                    {"id": mid, "channel": channel, "author": user, "data": f"hello {i}",
                     "timestamp": "2026-11-28T10:00:00.000Z"}))
            assert producer.flush(30) == 0
        # A user posting without the token header: authenticated to the broker, but not delivered.
        forger = Producer({"bootstrap.servers": bootstrap, **plain("so0", tokens["so0"])})
        forger.produce("chat", key=channel, value=json.dumps(
            {"id": f"{channel}-unsigned", "channel": channel, "author": "so1", "data": "not mine",
             "timestamp": "2026-11-28T10:00:00.000Z"}))
        assert forger.flush(30) == 0

        base, other = f"http://127.0.0.1:{http}", f"http://127.0.0.1:{api_port}"
        assert wait_until(lambda: sorted(set(ids_or_none(base, channel))) == sorted(sent), timeout=120), \
            f"{len(set(ids_or_none(base, channel)))} of {len(sent)} stored\n{tail(tmp_path / 'serve.log')}"
        time.sleep(2)
        assert sorted(all_ids(base, channel)) == sorted(sent), "each once, nothing unsigned"
        assert sorted(all_ids(other, channel)) == sorted(sent), "the other API serves the same database"
    finally:
        for name, proc in procs.items():
            if proc.poll() is None:
                proc.terminate()
        for name, proc in procs.items():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
