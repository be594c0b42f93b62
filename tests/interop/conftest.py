"""Starts the embedded broker (the real `kchat broker` binary) for interop tests."""
import json
import os
import signal
import socket
import subprocess
import time

import pytest

KCHAT_BIN = os.environ.get("KCHAT_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/kchat"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"broker did not listen on {port}")


class Broker:
    """One broker process on a fixed port and data directory; can be killed and restarted."""

    def __init__(self, data_dir: str, port: int, extra_args=()):
        self.data_dir = data_dir
        self.port = port
        self.extra_args = list(extra_args)
        self.log_path = os.path.join(data_dir, "broker.log")
        self.proc = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "Broker":
        os.makedirs(self.data_dir, exist_ok=True)
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [KCHAT_BIN, "broker", "--listen", self.bootstrap, "--data", os.path.join(self.data_dir, "data"),
             *self.extra_args],
            stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.port)
        return self

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log(self) -> str:
        with open(self.log_path) as f:
            return f.read()


def ids_by_channel(bootstrap: str, topic: str, expected: int, timeout: float = 60.0) -> dict:
    """Reads `topic` from the start of every partition until `expected` records (or `timeout`):
    the message ids of each channel, in the order the topic holds them (one channel = one key =
    one partition)."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"check-{time.time_ns()}",
                         "enable.auto.commit": False})
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, 0) for p in partitions])
    seen, count, deadline = {}, 0, time.time() + timeout
    while count < expected and time.time() < deadline:
        for message in consumer.consume(5000, 0.5):
            if message.error():
                continue
            value = json.loads(message.value())
            seen.setdefault(value["channel"], []).append(value["id"])
            count += 1
    consumer.close()
    return seen


@pytest.fixture
def broker(tmp_path):
    b = Broker(str(tmp_path), free_port()).start()
    yield b
    b.stop()


class Service:
    """A `kchat <subcommand>` process (moderator, read --follow, ...) with its output in a file."""

    def __init__(self, broker, log_dir, *args, name="service"):
        self.args = [KCHAT_BIN, *args, "--brokers", broker.bootstrap]
        self.log_path = os.path.join(log_dir, f"{name}-{time.time_ns()}.log")
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def output(self):
        with open(self.log_path) as f:
            return f.read()


def kchat(broker, *args, timeout=60, input=None):
    return subprocess.run([KCHAT_BIN, *args, "--brokers", broker.bootstrap], capture_output=True, text=True,
                          timeout=timeout, input=input)


@pytest.fixture
def services(broker, tmp_path):
    started = []

    def start(*args, name="service"):
        service = Service(broker, str(tmp_path), *args, name=name).start()
        started.append(service)
        return service

    yield start
    for service in started:
        service.stop()


def mint_token(secret, *args) -> str:
    """A token from `kchat token ARGS` signed with `secret` (the hub's KCHAT_JWT_SECRET)."""
    out = subprocess.run([KCHAT_BIN, "token", *args], capture_output=True, text=True, timeout=20,
                         env={**os.environ, "KCHAT_JWT_SECRET": secret})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def sasl_plain(user, password) -> dict:
    """librdkafka settings for SASL/PLAIN as `user` (the password is the account's, or a token)."""
    return {"security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": "PLAIN",
            "sasl.username": user, "sasl.password": password}


def kcat_sasl_plain(user, password) -> list:
    """The same settings as kcat arguments (`-X key=value`)."""
    return [arg for key, value in sasl_plain(user, password).items() for arg in ("-X", f"{key}={value}")]


def kcat(bootstrap, *args, input=None, timeout=30):
    return subprocess.run(["kcat", "-b", bootstrap, *args], input=input, capture_output=True, text=True,
                          timeout=timeout)


class AuthHub:
    """A `kchat serve` with authentication on (the default), root its admin, for the security tests."""

    def __init__(self, tmp, secret, extra=()):
        self.kafka, self.http = free_port(), free_port()
        self.tmp, self.data = tmp, str(tmp / "data")
        self.base, self.bootstrap = f"http://127.0.0.1:{self.http}", f"127.0.0.1:{self.kafka}"
        self.tokens = {}
        self.proc = subprocess.Popen([KCHAT_BIN, "serve", "--admin", "root", *extra, "--listen", self.bootstrap,
                                      "--http", f"127.0.0.1:{self.http}", "--data", self.data],
                                     stdout=open(tmp / "hub.out", "w"), stderr=subprocess.STDOUT,
                                     env={**os.environ, "KCHAT_JWT_SECRET": secret})
        wait_for_port(self.kafka)
        wait_for_port(self.http)

    def log(self):
        with open(os.path.join(self.data, "hub.log")) as f:
            return f.read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(20)

