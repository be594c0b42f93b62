"""End-to-end latency through the hub: send to `chat` -> moderated -> received on
`chat_controlled`, at a fixed rate (default 1000 msg/s), p50/p99; compared in the same run with
the raw Kafka round trip on the same broker (produce -> consume one topic, no moderation), so the
ratio is the cost of the moderation hop. Client: confluent-kafka. Hub: `kchat serve --auth none`
(clients without SASL) with fsync on, the product's default, unless --no-fsync.

Per hop (moderated run), from the record timestamps (wall clock, millisecond resolution):
`send -> moderator produce` (the chat_controlled record's CreateTime minus the send time) and
`moderator produce -> received`.

Load mode (`--producers 200 --rate 10000 --moderators 2`): the messages come from that many
producer clients (each its own connection, spread over --procs worker processes, paced so that
together they send --rate msg/s), and the hub's moderator is joined by `--moderators - 1`
`kchat moderator` processes in the same consumer group (the 3 partitions of `chat` are split
between them). The raw row uses the same producers at the same rate.
"""
import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import threading
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

sys.path.insert(0, os.path.dirname(__file__))
from broker_bench import kchat_listening  # noqa: E402
from client_bench import create_topic, percentile  # noqa: E402


def payload(i, moderated, author):
    """(key, value) of message i; the value carries the monotonic send time (ns) and the wall
    clock (ms) for the per-hop split."""
    stamp = time.monotonic_ns()
    wall = time.time_ns() // 1_000_000
    channel = f"bench{i % 3}"
    if moderated:
        value = json.dumps({"id": f"e2e-{stamp}-{i}", "channel": channel, "author": author,
                            "data": f"{stamp} {wall}", "timestamp": "2026-11-23T10:00:00.000Z"})
    else:
        value = f"{stamp} {wall}"
    return channel, value


def send_paced(bootstrap, topic, n, rate, start, moderated, clients, first, step):
    """Sends messages first, first + step, ... < n, message i at start + i / rate (monotonic),
    round robin over `clients` producer clients (each its own connection)."""
    producers = [Producer({"bootstrap.servers": bootstrap, "linger.ms": 0}) for _ in range(clients)]
    for p in producers:  # connect before the clock starts
        p.list_topics(topic, timeout=10)
    for j, i in enumerate(range(first, n, step)):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        producer = producers[j % clients]
        key, value = payload(i, moderated, f"load{first + step * (j % clients)}" if clients > 1 else "bench")
        producer.produce(topic, key=key, value=value)
        producer.poll(0)
    for p in producers:
        p.flush(10)


def _worker(args):
    send_paced(*args)


def round_trip(bootstrap, send_topic, read_topic, n, rate, moderated, producers=1, procs=1, trace=None):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"e2e-{time.time_ns()}",
                         "fetch.wait.max.ms": 50, "enable.auto.commit": False})
    # Start at the end of the read topic: only this run's messages count.
    consumer.assign([TopicPartition(read_topic, p, consumer.get_watermark_offsets(TopicPartition(read_topic, p), timeout=10)[1])
                     for p in range(3)])
    samples, hop1, hop2 = [], [], []
    done = threading.Event()

    def read():
        while len(samples) < n and not done.is_set():
            first = consumer.poll(0.1)  # wakes on the first message; consume(n, t) would wait for n
            if first is None:
                continue
            for msg in [first, *consumer.consume(1000, 0)]:
                if msg.error():
                    continue
                now_ns, now_ms = time.monotonic_ns(), time.time_ns() // 1_000_000
                value = msg.value()
                if moderated:  # the moderator writes `"data":"<sent ns> <wall ms>"`; no json.loads at 10k msg/s
                    at = value.index(b'"data":"') + 8
                    value = value[at:value.index(b'"', at)]
                sent, wall = (int(x) for x in value.split())
                samples.append((now_ns - sent) / 1000)
                if trace is not None:
                    trace.append((sent, now_ns, msg.partition(), msg.timestamp()[1], wall))
                kind, produced = msg.timestamp()
                if moderated and kind == 1:  # CreateTime: set by the moderator's produce
                    hop1.append((produced - wall) * 1000)
                    hop2.append((now_ms - produced) * 1000)

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(1)
    if procs <= 1:
        start = time.monotonic() + 0.5
        send_paced(bootstrap, send_topic, n, rate, start, moderated, producers, 0, 1)
    else:
        start = time.monotonic() + 5  # every worker has connected its clients by then
        jobs = [(bootstrap, send_topic, n, rate, start, moderated, producers // procs + (w < producers % procs), w, procs)
                for w in range(procs)]
        with multiprocessing.get_context("spawn").Pool(procs) as pool:
            pool.map(_worker, jobs)
    reader.join(30)
    done.set()
    consumer.close()
    return (percentile(samples, 0.5), percentile(samples, 0.99), len(samples),
            (percentile(hop1, 0.5), percentile(hop1, 0.99)), (percentile(hop2, 0.5), percentile(hop2, 0.99)),
            percentile(samples, 0.999), max(samples, default=float("nan")))


def moderator_members(bootstrap):
    """Members of the moderators' consumer group and how many `chat` partitions each holds."""
    admin = AdminClient({"bootstrap.servers": bootstrap})  # kept referenced until the call returns
    try:
        group = admin.describe_consumer_groups(["kchat-moderator"])["kchat-moderator"].result(10)
        return sorted(len(m.assignment.topic_partitions) for m in group.members)
    except Exception as error:  # noqa: BLE001 - informational only
        return f"unknown ({error})"


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kchat", default=os.path.join(here, "../.build/release/kchat"))
    parser.add_argument("--messages", type=int, default=0, help="default: 5 s worth at --rate (at least 5000)")
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--producers", type=int, default=1, help="producer clients in total (load mode when > 1)")
    parser.add_argument("--procs", type=int, default=0, help="worker processes for the producers (default: 1, or 4 in load mode)")
    parser.add_argument("--moderators", type=int, default=1, help="moderators in the group (the hub's + kchat moderator processes)")
    parser.add_argument("--target-ms", type=float, default=0, help="moderated p99 target (default: 5 ms at <= 1000 msg/s, else 20 ms)")
    parser.add_argument("--trace", metavar="FILE", help="write every moderated sample (sent ns, received ns, partition, "
                        "produce ms, send wall ms) to FILE, to find where the tail is")
    parser.add_argument("--no-fsync", action="store_true", help="run the hub with --no-fsync")
    args = parser.parse_args()
    n = args.messages or max(5000, args.rate * 5)
    procs = args.procs or (4 if args.producers > 1 else 1)
    target = args.target_ms or (5.0 if args.rate <= 1000 else 20.0)
    extra = []
    # --auth none: clients connect without SASL (`kchat serve` defaults to --auth sasl).
    with kchat_listening(args.kchat, "serve", "--http", "off", "--auth", "none", *(["--no-fsync"] if args.no_fsync else []),
                         prefix="kchat-e2e-") as bootstrap:
        subprocess.run([args.kchat, "channels", "list", "--brokers", bootstrap], capture_output=True, check=True)
        create_topic(bootstrap, "e2e-raw", 3)
        try:
            for _ in range(args.moderators - 1):
                extra.append(subprocess.Popen([args.kchat, "moderator", "--brokers", bootstrap, "--log-level", "error"],
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            time.sleep(3 + 3 * len(extra))  # the moderators join their group (and rebalance)
            members = moderator_members(bootstrap)
            raw = round_trip(bootstrap, "e2e-raw", "e2e-raw", n, args.rate, False, args.producers, procs)
            trace = [] if args.trace else None
            moderated = round_trip(bootstrap, "chat", "chat_controlled", n, args.rate, True, args.producers, procs, trace)
        finally:
            for p in extra:
                p.terminate()
                p.wait(20)
    if args.trace:
        with open(args.trace, "w") as f:
            f.writelines(" ".join(map(str, t)) + "\n" for t in sorted(trace))
    hub = ("fsync off" if args.no_fsync else "fsync on (default)") + ", --auth none"
    print(f"\nend-to-end latency at {args.rate} msg/s, {n} messages from {args.producers} producer client(s) "
          f"in {procs} process(es), {args.moderators} moderator(s), hub {hub}, client confluent-kafka")
    print(f"moderator group members (chat partitions each): {members}")
    print(f"{'path':<44}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}{'max ms':>9}{'received':>10}")
    for name, r in (("raw Kafka round trip (same broker)", raw), ("send -> moderated -> received (kchat hub)", moderated)):
        print(f"{name:<44}{r[0] / 1000:>9.2f}{r[1] / 1000:>9.2f}{r[5] / 1000:>10.2f}{r[6] / 1000:>9.2f}{r[2]:>10}")
    (h1p50, h1p99), (h2p50, h2p99) = moderated[3], moderated[4]
    print(f"  per hop (record timestamps, 1 ms resolution): send -> moderator produce p50 {h1p50 / 1000:.0f} / "
          f"p99 {h1p99 / 1000:.0f} ms; moderator produce -> received p50 {h2p50 / 1000:.0f} / p99 {h2p99 / 1000:.0f} ms")
    print(f"ratio moderated/raw: p50 {moderated[0] / raw[0]:.2f}x, p99 {moderated[1] / raw[1]:.2f}x; "
          f"target moderated p99 < {target:g} ms: {'met' if moderated[1] < target * 1000 and moderated[2] == n else 'NOT met'}"
          f"{'' if moderated[2] == n else f' (received {moderated[2]} of {n})'}")


if __name__ == "__main__":
    main()
