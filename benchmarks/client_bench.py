"""Kafka client numbers in one run against one kchat broker: kchat's KafkaClient (`kchat bench client`)
vs confluent-kafka (Python over newer librdkafka) vs kcat (C, Debian librdkafka 2.0.2).

Latency: produce -> consume round trip of 100-byte messages sent at a fixed rate (p50/p99).
Throughput: produce N messages (acks=all) then consume them all.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

sys.path.insert(0, os.path.dirname(__file__))
from broker_bench import kchat_listening  # noqa: E402


def create_topic(bootstrap, topic, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result(10)


def percentile(samples, q):
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * q))] if s else float("nan")


def confluent_latency(bootstrap, n, rate):
    topic = f"py-latency-{time.time_ns()}"
    create_topic(bootstrap, topic, 1)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "py-lat", "fetch.wait.max.ms": 50,
                         "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, 0, 0)])
    samples = []
    done = threading.Event()

    def consume():
        while len(samples) < n and not done.is_set():
            msg = consumer.poll(0.1)
            if msg is not None and not msg.error():
                samples.append((time.monotonic_ns() - int(msg.value()[:20])) / 1000)

    reader = threading.Thread(target=consume)
    reader.start()
    time.sleep(0.5)
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0})  # as KafkaClient's default
    start = time.monotonic()
    for i in range(n):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        producer.produce(topic, str(time.monotonic_ns()).ljust(20).encode() + b"x" * 80)
        producer.poll(0)
    producer.flush(10)
    reader.join(30)
    done.set()
    consumer.close()
    return percentile(samples, 0.5), percentile(samples, 0.99)


def confluent_throughput(bootstrap, n):
    topic = f"py-tp-{time.time_ns()}"
    create_topic(bootstrap, topic, 3)
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "batch.num.messages": 10000,
                         "queue.buffering.max.messages": 1_000_000})
    payload = b"x" * 100
    start = time.perf_counter()
    for i in range(n):
        while True:
            try:
                producer.produce(topic, payload)
                break
            except BufferError:
                producer.poll(0.001)
    producer.flush(120)
    produce = n / (time.perf_counter() - start)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "py-tp", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(3)])
    got, start = 0, time.perf_counter()
    while got < n:
        got += sum(1 for m in consumer.consume(10000, 1.0) if not m.error())
    consume = n / (time.perf_counter() - start)
    consumer.close()
    return produce, consume, topic


def kcat_throughput(bootstrap, n, topic_to_read):
    lines = tempfile.NamedTemporaryFile("w", delete=False)
    lines.write(("x" * 100 + "\n") * n)
    lines.close()
    topic = f"kcat-tp-{time.time_ns()}"
    create_topic(bootstrap, topic, 3)
    start = time.perf_counter()
    subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", topic, "-X", "linger.ms=5", "-l", lines.name], check=True)
    produce = n / (time.perf_counter() - start)
    os.unlink(lines.name)
    start = time.perf_counter()
    out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic_to_read, "-o", "beginning", "-e", "-q", "-f", "\n"],
                         capture_output=True, check=True)
    consume = n / (time.perf_counter() - start)
    assert out.stdout.count(b"\n") == n, "kcat read everything"
    return produce, consume


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kchat", default=os.path.join(here, "../.build/release/kchat"))
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--latency-messages", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=1000)
    args = parser.parse_args()

    with kchat_listening(args.kchat, "broker", prefix="kchat-client-bench-") as bootstrap:
        swift = json.loads(subprocess.run(
            [args.kchat, "bench", "client", "--brokers", bootstrap, "--json", "--messages", str(args.messages),
             "--latency-messages", str(args.latency_messages), "--rate", str(args.rate)],
            capture_output=True, text=True, check=True).stdout)
        p50, p99 = confluent_latency(bootstrap, args.latency_messages, args.rate)
        produce, consume, topic = confluent_throughput(bootstrap, args.messages)
        kproduce, kconsume = kcat_throughput(bootstrap, args.messages, topic)

    print(f"\nclient benchmark against one kchat broker; latency at {args.rate} msg/s, throughput {args.messages} x 100 B")
    print(f"{'client':<30}{'p50 ms':>9}{'p99 ms':>9}{'produce msg/s':>16}{'consume msg/s':>16}")
    print(f"{'kchat KafkaClient (Swift)':<30}{swift['p50_us'] / 1000:>9.2f}{swift['p99_us'] / 1000:>9.2f}"
          f"{swift['produce_per_s']:>16,.0f}{swift['consume_per_s']:>16,.0f}")
    print(f"{'confluent-kafka (Python)':<30}{p50 / 1000:>9.2f}{p99 / 1000:>9.2f}{produce:>16,.0f}{consume:>16,.0f}")
    print(f"{'kcat (C)':<30}{'-':>9}{'-':>9}{kproduce:>16,.0f}{kconsume:>16,.0f}")
    print(f"ratio kchat/confluent: p99 latency {swift['p99_us'] / p99:.2f}x (lower is better), "
          f"produce {swift['produce_per_s'] / produce:.2f}x, consume {swift['consume_per_s'] / consume:.2f}x")
    print(f"ratio kchat/kcat: produce {swift['produce_per_s'] / kproduce:.2f}x, consume {swift['consume_per_s'] / kconsume:.2f}x")


if __name__ == "__main__":
    main()
