"""Hostile input against a real hub (`kchat serve`: embedded broker, moderator, store writer, REST API),
sent with clients nobody here wrote (confluent-kafka, kafka-python, kcat). After every attack a normal
message must come out moderated within 5 s, and the hub process must be the one that was started:
nothing crashed, nothing restarted, nothing crash-loops after a restart either."""
import json
import os
import signal
import subprocess
import time
import uuid

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from conftest import KCHAT_BIN, free_port, wait_for_port

SECRET = {"KCHAT_JWT_SECRET": "hostile-secret-" + "z" * 40}


class Hub:
    def __init__(self, tmp_path):
        self.kafka, self.http = free_port(), free_port()
        self.data = tmp_path / "data"
        self.log_path = tmp_path / "hub.out"
        self.proc = None

    @property
    def bootstrap(self):
        return f"127.0.0.1:{self.kafka}"

    def start(self):
        log = open(self.log_path, "a")
        # --auth none: any client may write any topic (poison in chat_controlled and chat_control
        # too), a stronger attacker than an authenticated user; the pipeline must hold regardless.
        self.proc = subprocess.Popen([KCHAT_BIN, "serve", "--auth", "none", "--listen", self.bootstrap,
                                      "--http", f"127.0.0.1:{self.http}", "--data", str(self.data)], stdout=log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **SECRET})
        wait_for_port(self.kafka)
        wait_for_port(self.http)
        return self

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def assert_alive(self):
        assert self.proc.poll() is None, f"the hub died (exit {self.proc.returncode}):\n{self.output()[-3000:]}"
        assert "Fatal error" not in self.output()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    h = Hub(tmp_path_factory.mktemp("hostile")).start()
    # The moderator is ready once a first message comes through.
    assert_round_trip(h, timeout=30)
    yield h
    h.stop()


def producer(hub):
    return Producer({"bootstrap.servers": hub.bootstrap, "linger.ms": 0})


def produce_raw(hub, topic, records):
    p = producer(hub)
    errors = []
    for key, value in records:
        p.produce(topic, key=key, value=value, on_delivery=lambda err, msg: err and errors.append(err))
    assert p.flush(15) == 0
    return errors


def end_offsets(hub, topic):
    c = Consumer({"bootstrap.servers": hub.bootstrap, "group.id": f"probe-{uuid.uuid4()}"})
    parts = c.list_topics(topic, timeout=10).topics[topic].partitions
    ends = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in parts}
    c.close()
    return ends


def read_from(hub, topic, starts, want, timeout):
    """Records of `topic` after `starts` until `want(records)` is true or `timeout`."""
    c = Consumer({"bootstrap.servers": hub.bootstrap, "group.id": f"probe-{uuid.uuid4()}", "enable.auto.commit": False})
    c.assign([TopicPartition(topic, p, o) for p, o in starts.items()])
    records, deadline = [], time.time() + timeout
    while time.time() < deadline and not want(records):
        for m in c.consume(100, 0.2):
            if not m.error():
                records.append(m)
    c.close()
    return records


def assert_round_trip(hub, timeout=5.0):
    """A normal message sent now comes out moderated within `timeout` seconds."""
    starts = end_offsets(hub, "chat_controlled")
    mid = str(uuid.uuid4())
    sent = time.time()
    # A new author each time: three masked messages would block one.
    produce_raw(hub, "chat", [("general", json.dumps({"id": mid, "channel": "general", "author": f"u{mid[:8]}",
                                                       "data": "still here, shit", "timestamp": "2026-11-28T10:00:00Z"}))])
    found = read_from(hub, "chat_controlled", starts,
                      lambda rs: any(json.loads(r.value()).get("id") == mid for r in rs), timeout)
    elapsed = time.time() - sent
    moderated = [json.loads(r.value()) for r in found if json.loads(r.value()).get("id") == mid]
    assert moderated, f"the normal message did not come out moderated within {timeout} s"
    assert moderated[0]["data"] == "still here, ****" and moderated[0]["moderation"] == {"masked": 4}
    return elapsed


NUMBERS = ["1e19", "-1e19", "1e308", "-1e308", "9223372036854775808", "-9223372036854775809",
           "18446744073709551616", "NaN", "Infinity", "-Infinity", "1e400"]


DELIVERED = {"channel": "general", "author": "eve", "data": "\u001b[2J\u001b]0;pwned\u0007 escape",
             "timestamp": "2026-11-28T10:00:00Z"}


def hostile_chat_values():
    """Values the moderator must dead-letter (everything but DELIVERED, which is valid)."""
    base = {"channel": "general", "author": "eve", "data": "x", "timestamp": "2026-11-28T10:00:00Z"}
    values = []
    for n in NUMBERS:
        for field in ("timestamp", "data", "author", "channel", "id"):
            without = {k: v for k, v in base.items() if k != field}
            values.append(json.dumps(without)[:-1] + f', "{field}": {n}}}')
        values.append(json.dumps(base)[:-1] + f', "moderation": {{"masked": {n}}}}}')
    values += [
        "", "null", "[]", "42", '"a string"', "{", "{}", "\x00\x01\x02",
        json.dumps(base)[:-1] + ', "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps({**base, "data": "y" * 900_000}),
        json.dumps({**base, "author": "e" * 100_000}),
        json.dumps({**base, "channel": "c" * 100_000}),
        json.dumps({**base, "id": "i" * 100_000}),
        json.dumps({**base, "timestamp": "9999-12-31T23:59:59-23:00"}),
    ]
    values = [v.encode() for v in values]
    values.append(b'{"channel":"general","author":"eve","data":"\xff\xfe\xc0\x80","timestamp":"2026-11-28T10:00:00Z"}')
    values.append(b"\xff" * 64)
    return values


def test_hostile_values_in_chat_are_dead_lettered_and_the_hub_keeps_moderating(hub):
    values = hostile_chat_values() + [b"{}"]
    dlq_start = end_offsets(hub, "chat_dlq")
    produce_raw(hub, "chat", [(b"general", v) for v in values[:-1]] + [(None, b"{}"), (b"general", json.dumps(DELIVERED))])
    hub.assert_alive()
    assert assert_round_trip(hub) < 5
    # Every hostile record is in chat_dlq with a reason; the valid one with escapes is not.
    expected = len(values)
    letters = read_from(hub, "chat_dlq", dlq_start, lambda rs: len(rs) >= expected, 20)
    reasons = [json.loads(r.value())["reason"] for r in letters]
    assert len(reasons) == expected, reasons[-5:]
    assert all(reasons), "every dead letter names its reason"
    assert any("timestamp" in r for r in reasons)
    hub.assert_alive()


def test_hostile_values_in_the_output_topics_do_not_stop_the_store_or_readers(hub):
    """Until the broker enforces who may write the output topics, anyone can: their consumers (the
    store writer, `kchat read`, the TUI, the moderator's state) must skip what they cannot read."""
    poison_message = b'{"id":"p1","channel":"general","author":"eve","data":"x","timestamp":1e19}'
    poison_events = [b'{"type":"warning","user":"bob","warnings":1e19,"limit":3,"timestamp":"2026-11-28T10:00:00Z"}',
                     b'{"type":"blocked","user":"bob","timestamp":1e19}',
                     b'{"type":"warning","user":"bob","warnings":2,"limit":3,"timestamp":"2026-11-28T10:00:00Z","x":'
                     + b"[" * 100_000 + b"]" * 100_000 + b"}"]
    produce_raw(hub, "chat_controlled", [(b"general", poison_message), (b"general", b"\xff{")])
    produce_raw(hub, "chat_control", [(b"bob", e) for e in poison_events])
    hub.assert_alive()
    assert assert_round_trip(hub) < 5
    out = subprocess.run([KCHAT_BIN, "read", "-c", "general", "--brokers", hub.bootstrap],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "still here, ****" in out.stdout
    assert "skipped chat_controlled" in out.stderr and "timestamp" in out.stderr
    assert "\x1b" not in out.stdout + out.stderr, "escape bytes never reach the terminal"
    hub.assert_alive()


def test_the_hub_restarts_over_its_poison_records_without_a_crash_loop(hub):
    # Everything above is still in the topics, some of it uncommitted by nobody: start over.
    hub.stop()
    assert hub.proc.returncode == 0, hub.output()[-3000:]
    hub.start()
    time.sleep(3)
    hub.assert_alive()
    assert assert_round_trip(hub, timeout=15) < 15
    assert assert_round_trip(hub) < 5
    hub.assert_alive()


def test_a_huge_client_id_joining_a_group_is_refused_and_the_hub_keeps_serving(hub):
    c = Consumer({"bootstrap.servers": hub.bootstrap, "group.id": "hostile-group", "client.id": "c" * 32_760,
                  "session.timeout.ms": 6000, "auto.offset.reset": "earliest"})
    c.subscribe(["chat_controlled"])
    deadline = time.time() + 5
    while time.time() < deadline:
        c.poll(0.2)
    c.close()
    hub.assert_alive()
    assert assert_round_trip(hub) < 5


def test_a_huge_topic_name_in_create_topics_is_refused(hub):
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient({"bootstrap.servers": hub.bootstrap})
    futures = admin.create_topics([NewTopic("t" * 32_000, 1, 1)], request_timeout=10)
    for f in futures.values():
        with pytest.raises(Exception):
            f.result(15)
    hub.assert_alive()
    assert assert_round_trip(hub) < 5


def metadata_request(topics, correlation_id=7):
    """A Metadata v1 request frame, by hand (kafka-python's client would split nothing either)."""
    import struct

    def string(s):
        b = s.encode()
        return struct.pack(">h", len(b)) + b
    body = struct.pack(">hhi", 3, 1, correlation_id) + string("hostile") + struct.pack(">i", len(topics))
    body += b"".join(string(t) for t in topics)
    return struct.pack(">i", len(body)) + body


def test_metadata_for_five_thousand_unknown_topics_is_bounded(hub):
    import socket
    with socket.create_connection(("127.0.0.1", hub.kafka), timeout=60) as s:
        s.sendall(metadata_request([f"flood-{i}" for i in range(5_000)]))
        size = int.from_bytes(s.recv(4, socket.MSG_WAITALL), "big")
        assert 0 < size < 10_000_000
        assert int.from_bytes(s.recv(4, socket.MSG_WAITALL), "big") == 7, "the answer to our request"
    hub.assert_alive()
    assert assert_round_trip(hub) < 5
    admin = Consumer({"bootstrap.servers": hub.bootstrap, "group.id": "probe"})
    topics = admin.list_topics(timeout=10).topics
    admin.close()
    assert sum(1 for t in topics if t.startswith("flood-")) < 5_000, "auto-creation stops at the topic limit"
    hub.assert_alive()


def test_record_batches_that_lie_about_their_records_are_refused(hub):
    """A batch whose header lies (count, last offset delta) with a correct CRC would make consumers
    skip other users' messages: the hub's broker answers CORRUPT_MESSAGE and stores nothing."""
    from types import SimpleNamespace
    from test_broker_limits import produce_raw as produce_batch, record, record_batch
    message = json.dumps({"id": str(uuid.uuid4()), "channel": "general", "author": "liar", "data": "x",
                          "timestamp": "2026-11-28T10:00:00Z"}).encode()
    target = SimpleNamespace(port=hub.kafka)
    before = end_offsets(hub, "chat")
    lies = [record_batch(record(0, message), record_count=5, last_offset_delta=0),
            record_batch(record(0, message), record_count=1, last_offset_delta=100),
            record_batch(record(0, message) + record(0, message), record_count=2, last_offset_delta=1)]
    for batch in lies:
        assert produce_batch(target, "chat", batch) == 2, "CORRUPT_MESSAGE"
    assert end_offsets(hub, "chat")[0] == before[0], "nothing stored"
    assert produce_batch(target, "chat", record_batch(record(0, message), record_count=1, last_offset_delta=0)) == 0, \
        "the same record in an honest batch is taken"
    hub.assert_alive()
    assert assert_round_trip(hub) < 5
