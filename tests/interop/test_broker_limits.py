"""Hostile input against the real `kchat broker` (issue 11): each attack is answered with a Kafka
error (or absorbed by a limit), the broker stays up, and a normal produce/consume still works."""
import os
import socket
import struct
import time

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from conftest import Broker, free_port


# ---------------------------------------------------------------- raw protocol helpers

def _crc32c_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc = CRC32C_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def varint(value: int) -> bytes:
    v = (value << 1) ^ (value >> 63)
    v &= (1 << 64) - 1
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def record(offset_delta: int, value: bytes, timestamp_delta: int = 0) -> bytes:
    body = b"\x00" + varint(timestamp_delta) + varint(offset_delta) + varint(-1) + varint(len(value)) + value + varint(0)
    return varint(len(body)) + body


def record_batch(records: bytes, record_count: int, last_offset_delta: int, timestamp: int = 0,
                 max_timestamp=None) -> bytes:
    """A magic-2 batch with a correct CRC-32C over whatever the header claims."""
    max_timestamp = timestamp if max_timestamp is None else max_timestamp
    after_crc = struct.pack(">hiqqqhii", 0, last_offset_delta, timestamp, max_timestamp, -1, -1, -1, record_count) + records
    crc = crc32c(after_crc)
    batch_length = 4 + 1 + 4 + len(after_crc)  # leader epoch, magic, crc, rest
    return struct.pack(">qiibI", 0, batch_length, 0, 2, crc) + after_crc


def kstring(s: bytes) -> bytes:
    return struct.pack(">h", len(s)) + s


def request(sock, api_key: int, version: int, body: bytes, correlation: int = 1, client_id: bytes = b"limits-test") -> bytes:
    frame = struct.pack(">hhi", api_key, version, correlation) + kstring(client_id) + body
    sock.sendall(struct.pack(">i", len(frame)) + frame)
    size = struct.unpack(">i", recv_exact(sock, 4))[0]
    data = recv_exact(sock, size)
    assert struct.unpack(">i", data[:4])[0] == correlation
    return data[4:]


def recv_exact(sock, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed by the broker")
        data += chunk
    return data


def produce_raw(broker, topic: str, batch: bytes) -> int:
    """Produce v3 of one batch to partition 0; returns the partition's error code."""
    body = struct.pack(">hhi", -1, 1, 5000) + struct.pack(">i", 1) + kstring(topic.encode()) \
        + struct.pack(">i", 1) + struct.pack(">i", 0) + struct.pack(">i", len(batch)) + batch
    with socket.create_connection(("127.0.0.1", broker.port), timeout=10) as s:
        answer = request(s, 0, 3, body)
    # [topic: name, [partition int32, error int16, base offset int64, log append time int64]], throttle
    name_length = struct.unpack(">h", answer[4:6])[0]
    at = 6 + name_length + 4
    _, error = struct.unpack(">ih", answer[at:at + 6])
    return error


def metadata_raw(broker, topics) -> dict:
    """Metadata v4 asking for `topics` (auto-create allowed); returns {name: error code}."""
    body = struct.pack(">i", len(topics)) + b"".join(kstring(t.encode()) for t in topics) + b"\x01"
    with socket.create_connection(("127.0.0.1", broker.port), timeout=60) as s:
        s.settimeout(60)
        data = request(s, 3, 4, body)
    at = 4  # throttle
    (brokers,) = struct.unpack(">i", data[at:at + 4]); at += 4
    for _ in range(brokers):
        at += 4
        (n,) = struct.unpack(">h", data[at:at + 2]); at += 2 + n
        at += 4
        (n,) = struct.unpack(">h", data[at:at + 2]); at += 2 + max(n, 0)
    (n,) = struct.unpack(">h", data[at:at + 2]); at += 2 + max(n, 0)  # cluster id
    at += 4  # controller
    (count,) = struct.unpack(">i", data[at:at + 4]); at += 4
    result = {}
    for _ in range(count):
        error, n = struct.unpack(">hh", data[at:at + 4]); at += 4
        name = data[at:at + n].decode(); at += n
        at += 1  # is_internal
        (partitions,) = struct.unpack(">i", data[at:at + 4]); at += 4
        for _ in range(partitions):
            at += 2 + 4 + 4
            (r,) = struct.unpack(">i", data[at:at + 4]); at += 4 + 4 * r
            (r,) = struct.unpack(">i", data[at:at + 4]); at += 4 + 4 * r
        result[name] = error
    return result


# ---------------------------------------------------------------- clients

def create_topic(bootstrap: str, topic: str, partitions: int = 1):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result(10)


def assert_serves(broker, topic: str = "after-attack", partitions: int = 3):
    """The broker is alive and a normal produce/consume round trip works (`topic` has
    `partitions` partitions, or is auto-created with the broker's default of 3)."""
    assert broker.alive(), "the broker died"
    producer = Producer({"bootstrap.servers": broker.bootstrap, "acks": "all"})
    value = f"still-here-{time.time_ns()}".encode()
    producer.produce(topic, value=value)
    assert producer.flush(15) == 0
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": f"check-{time.time_ns()}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    deadline, seen = time.time() + 15, []
    while value not in seen and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is not None and not message.error():
            seen.append(message.value())
    consumer.close()
    assert value in seen
    assert broker.alive()


@pytest.fixture
def limited(tmp_path):
    started = []

    def start(*args):
        b = Broker(str(tmp_path / f"b{len(started)}"), free_port(), extra_args=args).start()
        started.append(b)
        return b
    yield start
    for b in started:
        b.stop()


# ---------------------------------------------------------------- attacks

def test_consumer_with_a_32760_byte_client_id_joins_a_group(broker):
    create_topic(broker.bootstrap, "long-client", 1)
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    producer.produce("long-client", value=b"hello")
    assert producer.flush(10) == 0
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "long-client-group",
                         "client.id": "c" * 32760, "auto.offset.reset": "earliest"})
    consumer.subscribe(["long-client"])
    deadline, got = time.time() + 20, None
    while got is None and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is not None and not message.error():
            got = message.value()
    consumer.close()
    assert got == b"hello", "the member joined the group and was assigned the partition"
    assert_serves(broker)


def test_create_topics_with_a_32760_byte_name_is_invalid_topic(broker):
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    name = "t" * 32760
    with pytest.raises(KafkaException) as raised:
        admin.create_topics([NewTopic(name, 1, 1)])[name].result(10)
    assert raised.value.args[0].code() == KafkaError.TOPIC_EXCEPTION  # INVALID_TOPIC_EXCEPTION (17)
    assert_serves(broker)


def test_create_topics_past_the_limits(limited):
    broker = limited("--max-topics", "3", "--max-partitions", "4")
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    too_many = admin.create_topics([NewTopic("wide", 5, 1)])["wide"]
    with pytest.raises(KafkaException) as raised:
        too_many.result(10)
    assert raised.value.args[0].code() == KafkaError.INVALID_PARTITIONS
    for name in ("one", "two", "three"):
        admin.create_topics([NewTopic(name, 1, 1)])[name].result(10)
    with pytest.raises(KafkaException) as raised:
        admin.create_topics([NewTopic("four", 1, 1)])["four"].result(10)
    assert raised.value.args[0].code() == KafkaError.POLICY_VIOLATION
    assert broker.alive()


def test_metadata_naming_5000_unknown_topics(limited):
    broker = limited("--max-topics", "100", "--max-open-files", "64", "--partitions", "2")
    names = [f"unknown-{i}" for i in range(5000)]
    errors = metadata_raw(broker, names)
    assert len(errors) == 5000
    created = [n for n, e in errors.items() if e == 0]
    assert len(created) == 100, "auto-create stops at --max-topics"
    assert all(e == 3 for n, e in errors.items() if e != 0), "the rest are UNKNOWN_TOPIC_OR_PARTITION"
    assert broker.log().count("auto-create refused") == 1, "one log line for the whole request"
    fds = len(os.listdir(f"/proc/{broker.proc.pid}/fd"))
    assert fds < 64 + 60, f"{fds} descriptors open: segment files are bounded by --max-open-files"
    # The created topics still work, reopening their files on demand.
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    for name in created[:20]:
        producer.produce(name, value=name.encode(), partition=1)
    assert producer.flush(15) == 0
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "fd-check", "enable.auto.commit": False})
    consumer.assign([TopicPartition(name, 1, 0) for name in created[:20]])
    seen, deadline = set(), time.time() + 15
    while len(seen) < 20 and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is not None and not message.error():
            assert message.value() == message.topic().encode()
            seen.add(message.topic())
    consumer.close()
    assert seen == set(created[:20])
    assert len(os.listdir(f"/proc/{broker.proc.pid}/fd")) < 64 + 60
    # Past the limit no new topic can appear: the round trip uses one of the created topics.
    assert_serves(broker, created[0], partitions=2)


@pytest.mark.parametrize("lie", ["count-too-high", "last-offset-delta", "offset-deltas", "trailing-bytes"])
def test_a_lying_record_batch_is_corrupt_message(broker, lie):
    create_topic(broker.bootstrap, "lies", 1)
    if lie == "count-too-high":
        batch = record_batch(record(0, b"one"), record_count=5, last_offset_delta=4)
    elif lie == "last-offset-delta":
        batch = record_batch(record(0, b"one"), record_count=1, last_offset_delta=1000)
    elif lie == "offset-deltas":
        batch = record_batch(record(0, b"a") + record(7, b"b"), record_count=2, last_offset_delta=1)
    else:
        batch = record_batch(record(0, b"a") + b"\x00" * 9, record_count=1, last_offset_delta=0)
    assert produce_raw(broker, "lies", batch) == 2, "CORRUPT_MESSAGE"
    honest = record_batch(record(0, b"a") + record(1, b"b"), record_count=2, last_offset_delta=1)
    assert produce_raw(broker, "lies", honest) == 0
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "lies", "enable.auto.commit": False})
    consumer.assign([TopicPartition("lies", 0, 0)])
    got, deadline = [], time.time() + 10
    while len(got) < 2 and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is not None and not message.error():
            got.append((message.offset(), message.value()))
    low, high = consumer.get_watermark_offsets(TopicPartition("lies", 0), timeout=5)
    consumer.close()
    assert got == [(0, b"a"), (1, b"b")], "only the honest batch was stored"
    assert (low, high) == (0, 2)
    assert_serves(broker)


def test_offsets_for_times_finds_the_record_not_the_batch(broker):
    create_topic(broker.bootstrap, "times", 1)
    # One batch, records at 1000, 2000, 3000 ms.
    batch = record_batch(record(0, b"a", 0) + record(1, b"b", 1000) + record(2, b"c", 2000),
                         record_count=3, last_offset_delta=2, timestamp=1000, max_timestamp=3000)
    assert produce_raw(broker, "times", batch) == 0
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "times"})
    asked = [TopicPartition("times", 0, t) for t in (500, 1000, 1500, 2500, 3000, 3001)]
    found = [tp.offset for t in asked for tp in consumer.offsets_for_times([t], timeout=10)]
    consumer.close()
    assert found == [0, 0, 1, 2, 2, -1], "first offset with timestamp >= t; -1 past the end"
    from kafka import KafkaConsumer
    from kafka import TopicPartition as KTopicPartition
    kconsumer = KafkaConsumer(bootstrap_servers=broker.bootstrap)
    tp = KTopicPartition("times", 0)
    answer = kconsumer.offsets_for_times({tp: 2500})[tp]
    assert (answer.offset, answer.timestamp) == (2, 3000)
    assert kconsumer.offsets_for_times({tp: 3001})[tp] is None
    kconsumer.close()
    assert_serves(broker)


def test_transactional_producer_is_refused_at_once(broker):
    producer = Producer({"bootstrap.servers": broker.bootstrap, "transactional.id": "tx-1"})
    started = time.time()
    with pytest.raises(KafkaException):
        producer.init_transactions(10)
    elapsed = time.time() - started
    assert elapsed < 5, f"init_transactions took {elapsed:.1f} s: it should fail fast, not time out"
    assert "refused transactional producer" in broker.log()
    assert_serves(broker)


def test_deleted_topics_offsets_do_not_come_back_after_a_restart(broker):
    create_topic(broker.bootstrap, "gone", 1)
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    for i in range(3):
        producer.produce("gone", value=b"x%d" % i)
    assert producer.flush(10) == 0
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "keeper", "enable.auto.commit": False})
    consumer.commit(offsets=[TopicPartition("gone", 0, 3)], asynchronous=False)
    assert consumer.committed([TopicPartition("gone", 0)], timeout=10)[0].offset == 3
    consumer.close()
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    admin.delete_topics(["gone"])["gone"].result(10)
    broker.stop()
    broker.start()
    create_topic(broker.bootstrap, "gone", 1)
    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "keeper", "enable.auto.commit": False})
    committed = consumer.committed([TopicPartition("gone", 0)], timeout=10)[0].offset
    consumer.close()
    assert committed < 0, f"the deleted topic's committed offset {committed} came back after the restart"
    assert_serves(broker)


def test_a_group_past_max_members_is_group_max_size_reached(limited):
    broker = limited("--max-group-members", "1")
    create_topic(broker.bootstrap, "full", 2)
    first = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "full"})
    first.subscribe(["full"])
    deadline = time.time() + 10
    while not first.assignment() and time.time() < deadline:
        first.poll(0.2)
    assert len(first.assignment()) == 2
    second = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "full"})
    second.subscribe(["full"])
    error, deadline = None, time.time() + 10
    while error is None and time.time() < deadline:
        message = second.poll(0.2)
        if message is not None and message.error() and message.error().code() != KafkaError.UNKNOWN_TOPIC_OR_PART:
            error = message.error()
    assert error is not None and error.code() == KafkaError.GROUP_MAX_SIZE_REACHED
    first.poll(0.5)
    assert len(first.assignment()) == 2, "the member already in keeps its partitions"
    second.close()
    first.close()
    assert_serves(broker)
