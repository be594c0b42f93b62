"""The moderation service end to end through the broker, including kill -9 and two instances."""
import json
import subprocess
import threading
import time

from confluent_kafka import Producer

from conftest import kchat


def topic_values(broker, topic):
    out = subprocess.run(["kcat", "-b", broker.bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-q"],
                         capture_output=True, text=True, timeout=60)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def wait_for(predicate, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


def send(broker, user, text, channel="general"):
    out = kchat(broker, "send", "-c", channel, "-u", user, text)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_masks_warns_blocks_rejects_and_dead_letters(broker, services):
    services("moderator", name="moderator")
    clean = send(broker, "alice", "a classic assessment in Scunthorpe")
    ids = [send(broker, "troll", f"f.u.c.k you {i}") for i in range(3)]
    late = send(broker, "troll", "am I still here?")
    subprocess.run(["kcat", "-b", broker.bootstrap, "-P", "-t", "chat", "-k", "general"], input="{oops", text=True, check=True)
    assert wait_for(lambda: len(topic_values(broker, "chat_dlq")) == 1)

    controlled = {m["id"]: m for m in topic_values(broker, "chat_controlled")}
    assert controlled[clean]["data"] == "a classic assessment in Scunthorpe"
    assert [controlled[i]["data"] for i in ids] == [f"*.*.*.* you {i}" for i in range(3)]
    assert all(controlled[i]["moderation"]["masked"] == 4 for i in ids)
    assert late not in controlled, "a blocked user's message is not delivered"

    events = topic_values(broker, "chat_control")
    warnings = [e for e in events if e["type"] == "warning"]
    assert [(w["user"], w["warnings"], w["limit"], w["messageId"]) for w in warnings] == \
        [("troll", n + 1, 3, ids[n]) for n in range(3)]
    assert [e["user"] for e in events if e["type"] == "blocked"] == ["troll"]
    assert [e["messageId"] for e in events if e["type"] == "rejected"] == [late]
    letter = topic_values(broker, "chat_dlq")[0]
    assert letter["value"] == "{oops" and "malformed" in letter["reason"].lower()

    assert kchat(broker, "users", "unblock", "troll").returncode == 0
    time.sleep(1.5)
    back = send(broker, "troll", "sorry")
    assert wait_for(lambda: back in {m["id"] for m in topic_values(broker, "chat_controlled")}, 20)


def produce_load(broker, n, per_second=None):
    producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 2})
    ids = []
    start = time.time()
    for i in range(n):
        if per_second and i % 50 == 0:
            time.sleep(max(0.0, start + i / per_second - time.time()))
        message_id = f"load-{i:05d}"
        text = f"message {i} shit" if i % 7 == 0 else f"message {i}"
        value = {"id": message_id, "channel": f"c{i % 5}", "author": f"user{i % 40}", "data": text,
                 "timestamp": "2026-11-22T18:19:44.123Z"}
        producer.produce("chat", key=f"c{i % 5}", value=json.dumps(value))
        ids.append(message_id)
        if i % 500 == 0:
            producer.poll(0)
    assert producer.flush(30) == 0
    return ids


def check_exactly_once_in_effect(broker, ids):
    def settled():
        delivered = {m["id"] for m in topic_values(broker, "chat_controlled")}
        rejected = {e["messageId"] for e in topic_values(broker, "chat_control") if e["type"] == "rejected"}
        return delivered | rejected >= set(ids)

    assert wait_for(settled, 120), "every message must be moderated (delivered or rejected)"
    events = topic_values(broker, "chat_control")
    warned = [e["messageId"] for e in events if e["type"] == "warning"]
    assert len(warned) == len(set(warned)), "no message may be warned twice"
    rejected = [e["messageId"] for e in events if e["type"] == "rejected"]
    assert len(rejected) == len(set(rejected)), "no message may be rejected twice"
    delivered = {m["id"] for m in topic_values(broker, "chat_controlled")}
    assert not (delivered & set(rejected)), "a message is either delivered or rejected"
    profane = {i for n, i in enumerate(ids) if n % 7 == 0}
    assert set(warned) | set(rejected) >= profane - set(rejected)
    assert set(warned) <= profane
    blocked = {e["user"] for e in events if e["type"] == "blocked"}
    for user in blocked:
        assert len([e for e in events if e["type"] == "warning" and e["user"] == user]) >= 3


def test_kill9_mid_stream_loses_nothing_and_never_warns_twice(broker, services):
    kchat(broker, "channels", "list")  # creates the topics
    moderator = services("moderator", name="moderator-1")
    time.sleep(2)
    result = {}
    loader = threading.Thread(target=lambda: result.setdefault("ids", produce_load(broker, 4000, per_second=1500)))
    loader.start()
    assert wait_for(lambda: len(topic_values(broker, "chat_controlled")) > 500, 60)
    moderator.kill9()
    done_at_kill = len({m["id"] for m in topic_values(broker, "chat_controlled")})
    services("moderator", name="moderator-2")
    loader.join(60)
    assert 0 < done_at_kill < 4000, f"the kill should land mid-stream ({done_at_kill} done)"
    check_exactly_once_in_effect(broker, result["ids"])


def test_two_instances_share_the_load(broker, services):
    kchat(broker, "channels", "list")
    first = services("moderator", name="moderator-a")
    second = services("moderator", name="moderator-b")
    time.sleep(4)
    ids = produce_load(broker, 2000)
    check_exactly_once_in_effect(broker, ids)
    assert "moderating chat" in first.output() and "moderating chat" in second.output()


def test_two_instances_block_a_user_exactly_once(broker, services):
    """Users with two warnings (known to both moderators) whose next profane messages reach both
    instances at once (one on each partition of chat): each instance counts its own as the 3rd,
    but exactly one `blocked` event comes out per user."""
    kchat(broker, "channels", "list")
    services("moderator", name="moderator-a")
    services("moderator", name="moderator-b")
    time.sleep(4)
    producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 20})
    users = [f"racer{u}" for u in range(20)]

    def profane(user, n, partition):
        channel = f"room{partition}"
        producer.produce("chat", key=channel, partition=partition, value=json.dumps(
            {"id": f"{user}-{n}", "channel": channel, "author": user, "data": f"shit {n}",
             "timestamp": "2026-11-28T10:00:00.000Z"}))

    for user in users:
        profane(user, 0, 0)
        profane(user, 1, 0)
    assert producer.flush(30) == 0
    assert wait_for(lambda: len([e for e in topic_values(broker, "chat_control") if e["type"] == "warning"])
                    == 2 * len(users), 30)
    time.sleep(2)  # both instances have applied them
    for user in users:
        for partition in range(3):
            profane(user, 2 + partition, partition)
    assert producer.flush(30) == 0

    def settled():
        events = topic_values(broker, "chat_control")
        handled = {e["messageId"] for e in events if e["type"] in ("warning", "rejected")}
        return len(handled) == 5 * len(users) and len([e for e in events if e["type"] == "blocked"]) >= len(users)

    assert wait_for(settled, 60), "every message warned or rejected, and every user blocked"
    time.sleep(3)  # a second block, if one were coming, would be here by now
    events = topic_values(broker, "chat_control")
    blocks = [e["user"] for e in events if e["type"] == "blocked"]
    assert sorted(blocks) == sorted(users), "exactly one blocked event per user"
    for user in users:
        mine = [e for e in events if e["user"] == user]
        first_block = next(i for i, e in enumerate(mine) if e["type"] == "blocked")
        assert len({e["messageId"] for e in mine[:first_block] if e["type"] == "warning"}) >= 3
