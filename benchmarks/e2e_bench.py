"""End-to-end latency through the hub: send to `chat` -> moderated -> received on
`chat_controlled`, at a fixed rate (default 1000 msg/s), p50/p99; compared in the same run with
the raw Kafka round trip on the same broker (produce -> consume one topic, no moderation), so the
ratio is the cost of the moderation hop. Client: confluent-kafka. Hub: `kchat serve`.
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

from confluent_kafka import Consumer, Producer, TopicPartition

sys.path.insert(0, os.path.dirname(__file__))
from broker_bench import kchat_listening  # noqa: E402
from client_bench import create_topic, percentile  # noqa: E402


def round_trip(bootstrap, send_topic, read_topic, n, rate, moderated):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"e2e-{time.time_ns()}",
                         "fetch.wait.max.ms": 50, "enable.auto.commit": False})
    # Start at the end of the read topic: only this run's messages count.
    consumer.assign([TopicPartition(read_topic, p, consumer.get_watermark_offsets(TopicPartition(read_topic, p), timeout=10)[1])
                     for p in range(3)])
    samples = []
    done = threading.Event()

    def read():
        while len(samples) < n and not done.is_set():
            msg = consumer.poll(0.1)
            if msg is None or msg.error():
                continue
            sent = int(json.loads(msg.value())["data"]) if moderated else int(msg.value())
            samples.append((time.monotonic_ns() - sent) / 1000)

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(1)
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0})
    start = time.monotonic()
    for i in range(n):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        stamp = time.monotonic_ns()
        channel = f"bench{i % 3}"
        if moderated:
            value = json.dumps({"id": f"e2e-{stamp}", "channel": channel, "author": "bench", "data": str(stamp),
                                "timestamp": "2026-11-23T10:00:00.000Z"})
        else:
            value = str(stamp)
        producer.produce(send_topic, key=channel, value=value)
        producer.poll(0)
    producer.flush(10)
    reader.join(30)
    done.set()
    consumer.close()
    return percentile(samples, 0.5), percentile(samples, 0.99), len(samples)


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kchat", default=os.path.join(here, "../.build/release/kchat"))
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--no-fsync", action="store_true", help="run the hub with --no-fsync")
    args = parser.parse_args()
    with kchat_listening(args.kchat, "serve", "--http", "off", *(["--no-fsync"] if args.no_fsync else []),
                         prefix="kchat-e2e-") as bootstrap:
        subprocess.run([args.kchat, "channels", "list", "--brokers", bootstrap], capture_output=True, check=True)
        create_topic(bootstrap, "e2e-raw", 3)
        time.sleep(3)  # the moderator joins its group
        raw = round_trip(bootstrap, "e2e-raw", "e2e-raw", args.messages, args.rate, moderated=False)
        moderated = round_trip(bootstrap, "chat", "chat_controlled", args.messages, args.rate, moderated=True)
    print(f"\nend-to-end latency at {args.rate} msg/s, {args.messages} messages, client confluent-kafka")
    print(f"{'path':<44}{'p50 ms':>9}{'p99 ms':>9}{'received':>10}")
    print(f"{'raw Kafka round trip (same broker)':<44}{raw[0] / 1000:>9.2f}{raw[1] / 1000:>9.2f}{raw[2]:>10}")
    print(f"{'send -> moderated -> received (kchat hub)':<44}{moderated[0] / 1000:>9.2f}{moderated[1] / 1000:>9.2f}{moderated[2]:>10}")
    print(f"ratio moderated/raw: p50 {moderated[0] / raw[0]:.2f}x, p99 {moderated[1] / raw[1]:.2f}x; "
          f"target p99 < 10 ms: {'met' if moderated[1] < 10_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
