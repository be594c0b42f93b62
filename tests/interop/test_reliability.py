"""Reliability: acknowledged data survives kill -9 under load, and random or mutated frames never
crash the broker (each bad connection is closed, the broker keeps serving)."""
import random
import socket
import struct
import threading
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from test_bad_input import api_versions_ok


def test_kill9_under_load_loses_no_acknowledged_message(broker):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.create_topics([NewTopic("durable", num_partitions=3, replication_factor=1)])["durable"].result(10)
    acked = []
    stop = threading.Event()

    def on_delivery(err, msg):
        if err is None:
            acked.append(msg.value())

    def load():
        producer = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all", "linger.ms": 1,
                             "message.timeout.ms": 30000, "retries": 0})
        i = 0
        while not stop.is_set():
            try:
                producer.produce("durable", f"m{i}".encode(), on_delivery=on_delivery)
                i += 1
            except BufferError:
                pass
            producer.poll(0.0005 if i % 20 == 0 else 0)
        producer.flush(40)

    loader = threading.Thread(target=load)
    loader.start()
    deadline = time.time() + 30
    while len(acked) < 20_000 and time.time() < deadline:
        time.sleep(0.05)
    broker.kill9()
    acked_at_kill = len(acked)
    time.sleep(0.5)
    broker.start()
    time.sleep(3)
    stop.set()
    loader.join(60)
    assert acked_at_kill >= 1000, "the kill should land under load"

    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "verify", "enable.auto.commit": False})
    consumer.assign([TopicPartition("durable", p, 0) for p in range(3)])
    stored = set()
    idle_since = time.time()
    while time.time() - idle_since < 5:
        batch = consumer.consume(10000, 0.5)
        if batch:
            idle_since = time.time()
        stored.update(m.value() for m in batch if not m.error())
    consumer.close()
    lost = [v for v in acked if v not in stored]
    assert not lost, f"{len(lost)} acknowledged messages lost (of {len(acked)} acked), e.g. {lost[:5]}"


def frames_from_golden():
    """Request frames captured from real clients (see Tests/KafkaWireTests/GoldenFrames.swift)."""
    import pathlib
    import re
    text = pathlib.Path(__file__).parents[2].joinpath("Tests/KafkaWireTests/GoldenFrames.swift").read_text()
    frames = []
    for block in re.findall(r'\("[^"]+",\s*((?:"[0-9a-f]*"\s*\+?\s*)+)\)', text):
        frames.append(bytes.fromhex("".join(re.findall(r'"([0-9a-f]*)"', block))))
    return frames


def test_fuzzed_frames_never_crash_the_broker(broker):
    rng = random.Random(20261123)
    golden = frames_from_golden()
    assert len(golden) >= 15
    cases = 0
    for round_ in range(400):
        if round_ % 3 == 0:
            body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200)))
        else:
            body = bytearray(rng.choice(golden))
            for _ in range(rng.randint(1, 8)):
                position = rng.randrange(len(body))
                body[position] = rng.getrandbits(8)
            if rng.random() < 0.3:
                body = body[: rng.randrange(len(body) + 1)]
            body = bytes(body)
        frame = struct.pack(">i", len(body)) + body
        with socket.create_connection(("127.0.0.1", broker.port)) as s:
            s.settimeout(2)
            try:
                s.sendall(frame)
                s.recv(65536)
            except (socket.timeout, ConnectionResetError, BrokenPipeError):
                pass
        cases += 1
        if round_ % 50 == 0:
            assert broker.alive(), f"broker died at fuzz case {round_}"
    assert broker.alive()
    assert api_versions_ok(broker)
    assert cases == 400
