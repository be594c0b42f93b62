"""200 concurrent clients x 100 messages through the hub (broker + moderator): every message is
delivered exactly once on chat_controlled, and each client's messages keep their order per channel."""
import json
import threading
import time

from confluent_kafka import Consumer, Producer, TopicPartition

from conftest import kchat

CLIENTS = 200
PER_CLIENT = 100


def test_200_clients_x_100_messages_once_and_in_order(broker, services):
    kchat(broker, "channels", "list")  # creates the topics
    services("moderator", name="moderator")
    errors = []

    def client(n):
        producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 5, "client.id": f"c{n}"})
        channel = f"room{n % 10}"
        for seq in range(PER_CLIENT):
            value = {"id": f"c{n}-{seq}", "channel": channel, "author": f"user{n}", "data": f"{seq}",
                     "timestamp": "2026-11-23T10:00:00.000Z"}
            producer.produce("chat", key=channel, value=json.dumps(value),
                             on_delivery=lambda err, msg: err and errors.append(err))
        producer.flush(60)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors[:3]

    consumer = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "scale-check", "enable.auto.commit": False})
    consumer.assign([TopicPartition("chat_controlled", p, 0) for p in range(3)])
    seen = {}
    order = {}
    deadline = time.time() + 120
    while len(seen) < CLIENTS * PER_CLIENT and time.time() < deadline:
        for msg in consumer.consume(5000, 0.5):
            if msg.error():
                continue
            m = json.loads(msg.value())
            seen[m["id"]] = seen.get(m["id"], 0) + 1
            order.setdefault((m["author"], m["channel"]), []).append(int(m["data"]))
    consumer.close()
    elapsed = time.time() - start
    assert len(seen) == CLIENTS * PER_CLIENT, f"{len(seen)} of {CLIENTS * PER_CLIENT} delivered in {elapsed:.0f}s"
    duplicates = [k for k, v in seen.items() if v > 1]
    assert not duplicates, f"delivered twice: {duplicates[:5]}"
    for key, seqs in order.items():
        assert seqs == sorted(seqs), f"order broken for {key}"
