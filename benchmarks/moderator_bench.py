"""Moderator throughput through the broker: N messages waiting in `chat` (10% profane), then
`kchat moderator` starts; time until every one is moderated (on chat_controlled or rejected).
Compared in the same run with a no-op stream copy through the same broker (kcat consume | kcat
produce of the same messages), i.e. the cost of moderation over just moving the bytes.
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


def end_offsets(bootstrap, topic, partitions=3):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "watermarks"})
    total = sum(consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(partitions))
    consumer.close()
    return total


def main():
    parser = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kchat", default=os.path.join(here, "../.build/release/kchat"))
    parser.add_argument("--messages", type=int, default=50_000)
    args = parser.parse_args()
    with kchat_listening(args.kchat, "broker", prefix="kchat-mod-bench-") as bootstrap:
        subprocess.run([args.kchat, "channels", "list", "--brokers", bootstrap], capture_output=True, check=True)
        producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "queue.buffering.max.messages": 1_000_000})
        for i in range(args.messages):
            channel = f"c{i % 20}"
            text = f"message {i} what the fuck" if i % 10 == 0 else f"message {i} about the class assessment"
            producer.produce("chat", key=channel, value=json.dumps(
                {"id": f"m{i}", "channel": channel, "author": f"user{i % 500}", "data": text,
                 "timestamp": "2026-11-23T10:00:00.000Z"}))
            if i % 10000 == 0:
                producer.poll(0)
        producer.flush(60)

        # Baseline: move the same bytes through the broker without looking at them.
        create_topic(bootstrap, "copy", 3)
        start = time.perf_counter()
        subprocess.run(f"kcat -b {bootstrap} -C -t chat -o beginning -e -q -K'\\t' | "
                       f"kcat -b {bootstrap} -P -t copy -K'\\t' -X linger.ms=5", shell=True, check=True)
        copy_s = time.perf_counter() - start
        assert end_offsets(bootstrap, "copy") == args.messages

        start = time.perf_counter()
        moderator = subprocess.Popen([args.kchat, "moderator", "--brokers", bootstrap, "--log-level", "error"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 600
        while time.time() < deadline:
            done = end_offsets(bootstrap, "chat_controlled")
            rejected = 0
            if done + 5000 >= args.messages:
                rejected = sum(1 for line in subprocess.run(
                    ["kcat", "-b", bootstrap, "-C", "-t", "chat_control", "-o", "beginning", "-e", "-q"],
                    capture_output=True, text=True).stdout.splitlines() if '"rejected"' in line)
            if done + rejected >= args.messages:
                break
            time.sleep(0.2)
        moderate_s = time.perf_counter() - start
        moderator.terminate()
        moderator.wait(20)
    n = args.messages
    print(f"\nmoderator throughput, {n} messages waiting in chat (10% profane), one instance")
    print(f"{'pipeline':<46}{'seconds':>9}{'msgs/s':>12}")
    print(f"{'no-op copy (kcat -C | kcat -P)':<46}{copy_s:>9.2f}{n / copy_s:>12,.0f}")
    print(f"{'kchat moderator (incl. start-up and group join)':<46}{moderate_s:>9.2f}{n / moderate_s:>12,.0f}")
    print(f"ratio moderator/no-op copy: {copy_s / moderate_s:.2f}x the throughput")


if __name__ == "__main__":
    main()
