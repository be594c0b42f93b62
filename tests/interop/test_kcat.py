"""The embedded broker driven by kcat (librdkafka 2.0.2 from Debian)."""
import subprocess
import time


def kcat(broker, *args, input=None, timeout=30):
    result = subprocess.run(["kcat", "-b", broker.bootstrap, *args], input=input, capture_output=True,
                            text=True, timeout=timeout)
    return result


def test_metadata_lists_broker_and_topics(broker):
    out = kcat(broker, "-L", "-t", "kcat-meta")  # auto-creates the topic
    assert out.returncode == 0, out.stderr
    assert f"broker 1 at {broker.bootstrap} (controller)" in out.stdout
    assert 'topic "kcat-meta" with 3 partitions' in out.stdout


def test_produce_then_consume_everything_in_order_per_key(broker):
    lines = "".join(f"k{i % 5}:{i}\n" for i in range(2000))
    out = kcat(broker, "-P", "-t", "kcat-pc", "-K:", input=lines)
    assert out.returncode == 0, out.stderr
    out = kcat(broker, "-C", "-t", "kcat-pc", "-o", "beginning", "-e", "-q", "-f", "%k %s\n")
    assert out.returncode == 0, out.stderr
    got = [line.split() for line in out.stdout.splitlines()]
    assert len(got) == 2000
    for key in {k for k, _ in got}:
        values = [int(v) for k, v in got if k == key]
        assert values == sorted(values), f"order broken for {key}"
    assert sorted(int(v) for _, v in got) == list(range(2000))


def test_consumer_group_splits_partitions_and_commits(broker):
    out = kcat(broker, "-P", "-t", "kcat-group", "-K:", input="".join(f"k{i}:{i}\n" for i in range(300)))
    assert out.returncode == 0, out.stderr
    args = ["-b", broker.bootstrap, "-G", "kg", "-X", "auto.offset.reset=earliest", "-q", "-f", "%p %s\n", "kcat-group"]
    first = subprocess.Popen(["kcat", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(["kcat", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(8)
    first.terminate()
    second.terminate()
    out1, _ = first.communicate(timeout=10)
    out2, _ = second.communicate(timeout=10)
    values = [int(line.split()[1]) for line in (out1 + out2).splitlines() if line.strip()]
    assert sorted(set(values)) == list(range(300))
    # A new member of the same group starts from the committed offsets: nothing is left to read.
    out = kcat(broker, "-G", "kg", "-X", "auto.offset.reset=earliest", "-e", "-q", "-f", "%s\n", "kcat-group",
               timeout=30)
    assert out.stdout.strip() == ""


def test_data_survives_kill_9(broker):
    out = kcat(broker, "-P", "-t", "kcat-durable", "-X", "acks=all", input="".join(f"{i}\n" for i in range(500)))
    assert out.returncode == 0, out.stderr
    broker.kill9()
    broker.start()
    out = kcat(broker, "-C", "-t", "kcat-durable", "-o", "beginning", "-e", "-q")
    assert sorted(int(v) for v in out.stdout.split()) == list(range(500))
