"""Moderator throughput through the broker: N messages waiting in `chat` (10% profane), then
`kchat moderator` starts; time until every one is moderated, i.e. until the moderator group's
committed offsets on `chat` reach N (the moderator commits a batch only once its outputs — on
chat_controlled, chat_control (rejections) or chat_dlq — are acknowledged, so this counts every
outcome at any N). Compared in the same run with a no-op stream copy through the same broker
(kcat consume | kcat produce of the same messages), i.e. the cost of moderation over just moving
the bytes. Several sizes in one run (default 100k and 1M) show whether it grows linearly.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

sys.path.insert(0, os.path.dirname(__file__))
from broker_bench import kchat_listening  # noqa: E402
from client_bench import create_topic  # noqa: E402

MODERATOR_GROUP = "kchat-moderator"


def end_offsets(bootstrap, topic, partitions=3):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "watermarks"})
    total = sum(consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(partitions))
    consumer.close()
    return total


def committed(bootstrap, group, topic, partitions=3):
    """Sum of `group`'s committed offsets on `topic` (read without joining the group)."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    offsets = consumer.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=10)
    consumer.close()
    return sum(max(tp.offset, 0) for tp in offsets)


def run(kchat, n):
    """(copy seconds, moderation seconds) for n waiting messages, on a fresh broker."""
    with kchat_listening(kchat, "broker", prefix="kchat-mod-bench-") as bootstrap:
        subprocess.run([kchat, "channels", "list", "--brokers", bootstrap], capture_output=True, check=True)
        producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "queue.buffering.max.messages": 1_000_000})
        for i in range(n):
            channel = f"c{i % 20}"
            text = f"message {i} what the fuck" if i % 10 == 0 else f"message {i} about the class assessment"
            value = json.dumps({"id": f"m{i}", "channel": channel, "author": f"user{i % 500}", "data": text,
                                "timestamp": "2026-11-23T10:00:00.000Z"})
            while True:
                try:
                    producer.produce("chat", key=channel, value=value)
                    break
                except BufferError:
                    producer.poll(0.1)
            if i % 10000 == 0:
                producer.poll(0)
        assert producer.flush(120) == 0
        assert end_offsets(bootstrap, "chat") == n

        # Baseline: move the same bytes through the broker without looking at them.
        create_topic(bootstrap, "copy", 3)
        start = time.perf_counter()
        subprocess.run(f"kcat -b {bootstrap} -C -t chat -o beginning -e -q -K'\\t' | "
                       f"kcat -b {bootstrap} -P -t copy -K'\\t' -X linger.ms=5", shell=True, check=True)
        copy_s = time.perf_counter() - start
        assert end_offsets(bootstrap, "copy") == n

        start = time.perf_counter()
        moderator = subprocess.Popen([kchat, "moderator", "--brokers", bootstrap, "--log-level", "error"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 1800
            while committed(bootstrap, MODERATOR_GROUP, "chat") < n:
                if time.time() > deadline or moderator.poll() is not None:
                    raise RuntimeError(f"moderator did not finish {n} messages (exit {moderator.poll()})")
                time.sleep(0.1)
            moderate_s = time.perf_counter() - start
        finally:
            moderator.terminate()
            moderator.wait(20)
        outcomes = (end_offsets(bootstrap, "chat_controlled"), end_offsets(bootstrap, "chat_dlq"))
    return copy_s, moderate_s, outcomes


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kchat", default=os.path.join(here, "../.build/release/kchat"))
    parser.add_argument("--messages", default="100000,1000000", help="comma-separated sizes, run in one go")
    args = parser.parse_args()
    sizes = [int(s) for s in args.messages.split(",") if s.strip()]
    results = [(n, *run(args.kchat, n)) for n in sizes]
    print("\nmoderator throughput, N messages waiting in chat (10% profane, 500 authors), one instance")
    print(f"{'N':>10} {'no-op copy msgs/s':>18} {'moderator msgs/s':>17} {'ratio':>7} {'controlled':>11} {'dlq':>5}")
    for n, copy_s, moderate_s, (controlled, dlq) in results:
        print(f"{n:>10,} {n / copy_s:>18,.0f} {n / moderate_s:>17,.0f} {copy_s / moderate_s:>6.2f}x {controlled:>11,} {dlq:>5}")
    if len(results) > 1:
        (n0, _, m0, _), (n1, _, m1, _) = results[0], results[-1]
        print(f"growth: {n1 / n0:.0f}x the messages took {m1 / m0:.1f}x the time (linear = {n1 / n0:.0f}x)")
    print("(moderator time includes its start-up and group join; it counts until its committed offsets reach N)")


if __name__ == "__main__":
    main()
