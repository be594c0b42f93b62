"""200 concurrent clients x 100 messages through the hub (broker + moderator): every message is
delivered exactly once on chat_controlled, and each channel's moderated copies are in the order
its messages have in `chat` (so each client's messages keep their order too)."""
import json
import threading
import time

from confluent_kafka import Producer

from conftest import ids_by_channel, kchat

CLIENTS = 200
PER_CLIENT = 100
TOTAL = CLIENTS * PER_CLIENT


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

    moderated = ids_by_channel(broker.bootstrap, "chat_controlled", TOTAL, timeout=120)
    elapsed = time.time() - start
    delivered = [i for ids in moderated.values() for i in ids]
    assert len(set(delivered)) == TOTAL, f"{len(set(delivered))} of {TOTAL} delivered in {elapsed:.0f}s"
    assert len(delivered) == TOTAL, f"delivered twice: {sorted(i for i in set(delivered) if delivered.count(i) > 1)[:5]}"

    # Per channel, the moderator keeps the order in which the channel's messages reached `chat`
    # (200 clients interleave there; that interleaving must survive moderation).
    sent = ids_by_channel(broker.bootstrap, "chat", TOTAL)
    assert set(sent) == set(moderated) == {f"room{c}" for c in range(10)}
    for channel, ids in sent.items():
        assert moderated[channel] == ids, f"{channel}: moderated order differs from chat's"
    # And so each client's own messages keep the order it sent them in.
    for ids in moderated.values():
        per_client = {}
        for i in ids:
            client, seq = i[1:].split("-")
            per_client.setdefault(client, []).append(int(seq))
        assert all(seqs == sorted(seqs) for seqs in per_client.values())
