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
import resource
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


def fill(bootstrap, n, tokens=None):
    """n messages into `chat` (10% profane); with `tokens` (user -> token) the authors are those
    users in turn and each record carries its author's token in the kchat-token header."""
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "queue.buffering.max.messages": 1_000_000})
    users = sorted(tokens) if tokens else None
    for i in range(n):
        channel = f"c{i % 20}"
        text = f"message {i} what the fuck" if i % 10 == 0 else f"message {i} about the class assessment"
        author = users[i % len(users)] if users else f"user{i % 500}"
        value = json.dumps({"id": f"m{i}", "channel": channel, "author": author, "data": text,
                            "timestamp": "2026-11-23T10:00:00.000Z"})
        headers = [("kchat-token", tokens[author])] if tokens else None
        while True:
            try:
                producer.produce("chat", key=channel, value=value, headers=headers)
                break
            except BufferError:
                producer.poll(0.1)
        if i % 10000 == 0:
            producer.poll(0)
    assert producer.flush(120) == 0
    assert end_offsets(bootstrap, "chat") == n


def cpu_seconds(pid):
    """User + system CPU seconds of a running process."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid):
    """Peak resident set (VmHWM) of a running process, MiB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def moderate(kchat, bootstrap, n, *args, env=None, cpu=None):
    """Seconds from `kchat moderator` start until its committed offsets on chat reach n (and its
    CPU seconds by then into `cpu`, a list)."""
    start = time.perf_counter()
    moderator = subprocess.Popen([kchat, "moderator", "--brokers", bootstrap, "--log-level", "error", *args],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.time() + 1800
        while committed(bootstrap, MODERATOR_GROUP, "chat") < n:
            if time.time() > deadline or moderator.poll() is not None:
                raise RuntimeError(f"moderator did not finish {n} messages (exit {moderator.poll()})")
            time.sleep(0.1)
        elapsed = time.perf_counter() - start
        if cpu is not None:
            cpu.append(cpu_seconds(moderator.pid))
            cpu.append(peak_rss_mb(moderator.pid))
        return elapsed
    finally:
        moderator.terminate()
        moderator.wait(20)


def run(kchat, n, moderator_args=()):
    """(copy seconds, moderation seconds) for n waiting messages, on a fresh broker."""
    with kchat_listening(kchat, "broker", prefix="kchat-mod-bench-") as bootstrap:
        subprocess.run([kchat, "channels", "list", "--brokers", bootstrap], capture_output=True, check=True)
        fill(bootstrap, n)

        # Baseline: move the same bytes through the broker without looking at them.
        create_topic(bootstrap, "copy", 3)
        start, cpu0 = time.perf_counter(), children_cpu()
        subprocess.run(f"kcat -b {bootstrap} -C -t chat -o beginning -e -q -K'\\t' | "
                       f"kcat -b {bootstrap} -P -t copy -K'\\t' -X linger.ms=5", shell=True, check=True)
        copy_s, copy_cpu = time.perf_counter() - start, children_cpu() - cpu0
        assert end_offsets(bootstrap, "copy") == n

        cpu = []
        moderate_s = moderate(kchat, bootstrap, n, *moderator_args, cpu=cpu)
        outcomes = (end_offsets(bootstrap, "chat_controlled"), end_offsets(bootstrap, "chat_dlq"))
    return copy_s, moderate_s, outcomes, (copy_cpu, cpu[0], cpu[1])


AUTHORSHIP_SECRET = "moderator-bench-secret-" + "m" * 32


def run_authorship(kchat, n, users):
    """Moderation seconds for the same n signed messages (`users` authors, one token each) with
    `--require-author-token` off and on, each on a fresh broker; and the delivered counts."""
    env = {**os.environ, "KCHAT_JWT_SECRET": AUTHORSHIP_SECRET}
    tokens = {}
    for i in range(users):
        out = subprocess.run([kchat, "token", "--user", f"user{i}", "--lifetime", "86400"], env=env,
                             capture_output=True, text=True, check=True)
        tokens[f"user{i}"] = out.stdout.strip()
    seconds, delivered = {}, {}
    for mode, args in (("off", []), ("on", ["--require-author-token"])):
        with kchat_listening(kchat, "broker", prefix="kchat-mod-bench-") as bootstrap:
            subprocess.run([kchat, "channels", "list", "--brokers", bootstrap], capture_output=True, check=True)
            fill(bootstrap, n, tokens)
            seconds[mode] = moderate(kchat, bootstrap, n, *args, env=env)
            delivered[mode] = end_offsets(bootstrap, "chat_controlled")
            assert end_offsets(bootstrap, "chat_dlq") == 0, "every message is signed by its author"
    return seconds, delivered


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kchat", default=os.path.join(here, "../.build/release/kchat"))
    parser.add_argument("--messages", default="100000,1000000", help="comma-separated sizes, run in one go")
    parser.add_argument("--authorship", type=int, metavar="USERS", default=0,
                        help="instead: signed authorship off vs on, every message carrying its author's token "
                             "(USERS distinct users and tokens, e.g. 100)")
    parser.add_argument("-X", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                        help="librdkafka setting passed to the moderator (repeatable)")
    args = parser.parse_args()
    moderator_args = [a for s in args.settings for a in ("-X", s)]
    sizes = [int(s) for s in args.messages.split(",") if s.strip()]
    if args.authorship:
        print(f"\nmoderator throughput, signed authorship off vs on ({args.authorship} users, one token each), one instance")
        print(f"{'N':>10} {'off msgs/s':>11} {'on msgs/s':>10} {'on/off':>7} {'delivered off/on':>17}")
        for n in sizes:
            seconds, delivered = run_authorship(args.kchat, n, args.authorship)
            print(f"{n:>10,} {n / seconds['off']:>11,.0f} {n / seconds['on']:>10,.0f} "
                  f"{seconds['off'] / seconds['on']:>7.3f} {delivered['off']:>8,}/{delivered['on']:,}")
        print("(moderator time includes its start-up and group join; target: on/off >= 0.90)")
        return
    results = [(n, *run(args.kchat, n, moderator_args)) for n in sizes]
    print("\nmoderator throughput, N messages waiting in chat (10% profane, 500 authors), one instance")
    print(f"{'N':>10} {'no-op copy msgs/s':>18} {'moderator msgs/s':>17} {'ratio':>7} {'controlled':>11} {'dlq':>5}"
          f" {'copy CPU us/msg':>16} {'moderator CPU us/msg':>21} {'moderator peak RSS MiB':>23}")
    for n, copy_s, moderate_s, (controlled, dlq), (copy_cpu, moderator_cpu, moderator_rss) in results:
        print(f"{n:>10,} {n / copy_s:>18,.0f} {n / moderate_s:>17,.0f} {copy_s / moderate_s:>6.2f}x {controlled:>11,} {dlq:>5}"
              f" {copy_cpu / n * 1e6:>16.2f} {moderator_cpu / n * 1e6:>21.2f} {moderator_rss:>23.0f}")
    if len(results) > 1:
        (n0, _, m0, _, _), (n1, _, m1, _, _) = results[0], results[-1]
        print(f"growth: {n1 / n0:.0f}x the messages took {m1 / m0:.1f}x the time (linear = {n1 / n0:.0f}x)")
    print("(moderator time includes its start-up and group join; it counts until its committed offsets reach N;"
          f" CPU: user+system of both kcat processes vs the moderator process, the broker's not counted; load average"
          f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
