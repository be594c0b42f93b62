"""Reliability of the services: kill -9 of the store writer mid-stream (no lost, no duplicated
rows), and JSON fuzzing of the moderator (via the chat topic) and of the REST API: nothing crashes,
bad input is dead-lettered or answered 4xx."""
import json
import os
import random
import subprocess
import threading
import time

from confluent_kafka import Producer

from conftest import KCHAT_BIN, free_port, kchat, wait_for_port
from test_api import call

SECRET = {"KCHAT_JWT_SECRET": "reliability-secret-" + "y" * 40}


class Api:
    def __init__(self, broker, tmp_path):
        self.port = free_port()
        self.args = [KCHAT_BIN, "api", "--brokers", broker.bootstrap, "--http", f"127.0.0.1:{self.port}",
                     "--db", f"sqlite:{tmp_path}/store.sqlite", "--data", str(tmp_path)]
        self.log = open(tmp_path / "api.log", "a")
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self):
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **SECRET})
        wait_for_port(self.port)
        return self

    def kill9(self):
        self.proc.kill()
        self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(20)


def produce(broker, n, per_second, channels=5):
    producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 2})
    start = time.time()
    for i in range(n):
        if i % 50 == 0:
            time.sleep(max(0.0, start + i / per_second - time.time()))
        channel = f"room{i % channels}"
        producer.produce("chat", key=channel, value=json.dumps(
            {"id": f"s-{i:05d}", "channel": channel, "author": f"u{i % 30}", "data": f"text {i}",
             "timestamp": "2026-11-23T10:00:00.000Z"}))
        producer.poll(0)
    producer.flush(30)


def all_ids(base, channel):
    ids, before = [], None
    while True:
        path = f"/v1/channels/{channel}/messages?limit=100" + (f"&before={before}" if before else "")
        status, page = call(base, "GET", path)
        assert status == 200, page
        ids += [m["id"] for m in page["messages"]]
        if not page.get("nextBefore") or not page["messages"]:
            return ids
        before = page["nextBefore"]


def test_kill9_store_writer_mid_stream_no_loss_no_duplicates(broker, services, tmp_path):
    kchat(broker, "channels", "list")
    services("moderator", name="moderator")
    api = Api(broker, tmp_path).start()
    loader = threading.Thread(target=produce, args=(broker, 3000, 1500))
    loader.start()

    def stored():
        status, stats = call(api.base, "GET", "/v1/stats")
        return stats["totals"]["messages"] if status == 200 else 0

    deadline = time.time() + 60
    while stored() < 400 and time.time() < deadline:
        time.sleep(0.1)
    at_kill = stored()
    api.kill9()
    api.start()
    loader.join(60)
    deadline = time.time() + 90
    while stored() < 3000 and time.time() < deadline:
        time.sleep(0.5)
    try:
        assert 0 < at_kill < 3000, f"the kill should land mid-stream ({at_kill} stored)"
        assert stored() == 3000, f"{stored()} of 3000 stored"
        ids = [i for c in range(5) for i in all_ids(api.base, f"room{c}")]
        assert len(ids) == 3000 and len(set(ids)) == 3000, "every message exactly once"
    finally:
        api.stop()


def mutate(rng, text):
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        op = rng.random()
        position = rng.randrange(len(chars) + 1)
        if op < 0.4 and chars:
            del chars[min(position, len(chars) - 1)]
        elif op < 0.8:
            chars.insert(position, rng.choice('{}[]",:\\0aé\u202e\x1b\x00 9'))
        else:
            chars[position:position] = list(rng.choice(['"data":' + "9" * 20, '"timestamp":null', '"author":[]', "\\ud800"]))
    return "".join(chars)


def test_json_fuzz_moderator_and_api_survive(broker, services, tmp_path):
    kchat(broker, "channels", "list")
    moderator = services("moderator", name="moderator")
    api = Api(broker, tmp_path).start()
    rng = random.Random(7)
    valid = json.dumps({"id": "x", "channel": "general", "author": "alice", "data": "hello",
                        "timestamp": "2026-11-23T10:00:00.000Z"})
    producer = Producer({"bootstrap.servers": broker.bootstrap})
    for i in range(500):
        producer.produce("chat", key="general", value=mutate(rng, valid).encode("utf-8", "surrogatepass"))
    producer.produce("chat", key="general", value=b"\xff\xfe not utf-8")
    producer.flush(10)

    assert call(api.base, "POST", "/v1/users", {"name": "fuzzer", "password": "long enough password"})[0] == 201
    token = call(api.base, "POST", "/v1/login", {"name": "fuzzer", "password": "long enough password"})[1]["token"]
    statuses = []
    bodies = ['{"data":"hi"}', '{"name":"x","password":"y"}', "[]", "null", '{"data":' + "1" * 50 + "}"]
    for i in range(300):
        body = mutate(rng, rng.choice(bodies)).encode("utf-8", "surrogatepass")
        path = rng.choice(["/v1/users", "/v1/login", "/v1/channels", "/v1/channels/general/messages",
                           "/v1/channels/%2e%2e/messages", "/v1/channels/@a+b/messages"])
        request = __import__("urllib.request").request.Request(
            api.base + path, data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        try:
            with __import__("urllib.request").request.urlopen(request, timeout=10) as response:
                statuses.append(response.status)
        except __import__("urllib.error").error.HTTPError as error:
            statuses.append(error.code)
    assert all(s < 500 or s == 503 for s in statuses), sorted(set(statuses))
    assert call(api.base, "GET", "/healthz")[0] == 200
    time.sleep(3)
    assert moderator.proc.poll() is None, "the moderator survived the fuzzing"
    dead = subprocess.run(["kcat", "-b", broker.bootstrap, "-C", "-t", "chat_dlq", "-o", "beginning", "-e", "-q"],
                          capture_output=True, text=True, timeout=30).stdout.splitlines()
    assert len(dead) >= 100, "malformed input is dead-lettered"
    assert all("reason" in json.loads(line) for line in dead)
    api.stop()
