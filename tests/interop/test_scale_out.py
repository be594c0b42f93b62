"""The multi-machine topology of docker-compose.yml, on one machine: an external Kafka-protocol
broker (a separate `kchat broker` process stands in for the Apache Kafka cluster, which this build
machine cannot run), `kchat serve --brokers ... --db postgres://...` (no embedded broker),
two more `kchat moderator` instances in the same group, and a separate `kchat api`. The store is
PostgreSQL when scripts/with-postgres.sh provides one (required in CI), SQLite otherwise."""
import json
import os
import socket
import subprocess

import pytest
from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient

from conftest import KCHAT_BIN, free_port, ids_by_channel, wait_for_port
from test_api import call, wait_until
from test_services_reliability import all_ids

SECRET = {"KCHAT_JWT_SECRET": "scale-out-secret-" + "z" * 40}


def database(tmp_path):
    url = os.environ.get("KCHAT_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("KCHAT_REQUIRE_POSTGRES") == "1":
        pytest.fail("KCHAT_REQUIRE_POSTGRES=1 but no KCHAT_TEST_POSTGRES_URL (run through scripts/with-postgres.sh)")
    return f"sqlite:{tmp_path}/store.sqlite"


def ids_or_none(base, channel):
    """The channel's stored ids; none while the channel does not exist yet."""
    status, _ = call(base, "GET", f"/v1/channels/{channel}/messages?limit=1")
    return all_ids(base, channel) if status == 200 else []


def tail(path, lines=40):
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"({error})"


def listening(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def moderator_members(bootstrap):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    group = admin.describe_consumer_groups(["kchat-moderator"])["kchat-moderator"].result(timeout=10)
    return len(group.members)


def test_hub_and_services_against_an_external_cluster_and_database(broker, services, tmp_path):
    db = database(tmp_path)
    unused, http, api_port = free_port(), free_port(), free_port()
    log = open(tmp_path / "serve.log", "w")
    hub = subprocess.Popen([KCHAT_BIN, "serve", "--brokers", broker.bootstrap, "--listen", f"127.0.0.1:{unused}",
                            "--http", f"127.0.0.1:{http}", "--db", db, "--data", str(tmp_path / "hub")],
                           stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **SECRET})
    api = subprocess.Popen([KCHAT_BIN, "api", "--brokers", broker.bootstrap, "--http", f"127.0.0.1:{api_port}",
                            "--db", db, "--data", str(tmp_path / "api")],
                           stdout=open(tmp_path / "api.log", "w"), stderr=subprocess.STDOUT, env={**os.environ, **SECRET})
    try:
        wait_for_port(http)
        wait_for_port(api_port)
        assert not listening(unused), "with --brokers the hub must not start its own broker"
        services("moderator", name="moderator-2")
        services("moderator", name="moderator-3")
        assert wait_until(lambda: moderator_members(broker.bootstrap) == 3, timeout=60), \
            f"{moderator_members(broker.bootstrap)} moderators in the group\n{tail(tmp_path / 'serve.log')}"

        producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 2})
        for i in range(600):
            channel = f"zone{i % 4}"
            text = f"shit {i}" if i % 10 == 0 else f"hello {i}"
            producer.produce("chat", key=channel, value=json.dumps(
                # i % 37: nobody sends 3 profane lines (that would block them and reject the rest).
                {"id": f"so-{i:04d}", "channel": channel, "author": f"w{i % 37}", "data": text,
                 "timestamp": "2026-11-23T10:00:00.000Z"}))
        assert producer.flush(30) == 0

        base, other = f"http://127.0.0.1:{http}", f"http://127.0.0.1:{api_port}"

        def stored():
            # This test's channels only: the PostgreSQL database is shared with other tests.
            return sum(len(ids_or_none(base, f"zone{c}")) for c in range(4))

        assert wait_until(lambda: stored() == 600, timeout=90), f"{stored()} of 600 stored\n{tail(tmp_path / 'serve.log')}"
        ids = [i for c in range(4) for i in all_ids(base, f"zone{c}")]
        assert sorted(ids) == [f"so-{i:04d}" for i in range(600)], "every message once, over 3 moderators"
        # Both API processes serve the same database.
        assert sorted(i for c in range(4) for i in all_ids(other, f"zone{c}")) == sorted(ids)
        texts = [m["data"] for m in call(base, "GET", "/v1/channels/zone0/messages?limit=100")[1]["messages"]]
        assert texts and not any("shit" in t for t in texts) and any(t.startswith("****") for t in texts)
        # Per-channel order survives the shared group: in chat_controlled, each channel's
        # moderated copies are in the order they were sent.
        by_channel = ids_by_channel(broker.bootstrap, "chat_controlled", 600, timeout=30)
        assert set(by_channel) == {f"zone{c}" for c in range(4)}
        for channel, seen in by_channel.items():
            assert seen == sorted(seen), f"{channel} out of order"
    finally:
        hub.terminate()
        api.terminate()
        for name, proc, log_name in (("kchat serve", hub, "serve.log"), ("kchat api", api, "api.log")):
            try:
                code = proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                pytest.fail(f"{name} did not stop within 30 s of SIGTERM:\n{tail(tmp_path / log_name)}")
            assert code == 0, f"{name} exited {code}:\n{tail(tmp_path / log_name)}"
