"""The REST API inside the hub, end to end: HTTP -> chat -> moderator -> chat_controlled ->
store writer -> SQLite -> HTTP, plus users/JWT, blocking, stats and `kchat stats`."""
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import KCHAT_BIN, free_port, wait_for_port


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, (json.loads(raw) if raw and response.headers.get_content_type() == "application/json" else raw)
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw else None


@pytest.fixture
def hub(tmp_path):
    kafka, http = free_port(), free_port()
    log = open(tmp_path / "hub.log", "w")
    proc = subprocess.Popen([KCHAT_BIN, "serve", "--listen", f"127.0.0.1:{kafka}", "--http", f"127.0.0.1:{http}",
                             "--data", str(tmp_path / "data")], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "KCHAT_JWT_SECRET": "test-secret-" + "x" * 40})
    wait_for_port(kafka)
    wait_for_port(http)
    yield f"http://127.0.0.1:{http}", f"127.0.0.1:{kafka}"
    proc.terminate()
    proc.wait(20)


def wait_until(predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_api_end_to_end_through_kafka_and_the_moderator(hub):
    base, brokers = hub
    assert call(base, "GET", "/healthz")[0] == 200
    for name in ("alice", "bob"):
        assert call(base, "POST", "/v1/users", {"name": name, "password": "correct horse battery"})[0] == 201
    assert call(base, "POST", "/v1/users", {"name": "alice", "password": "another one!!"})[0] == 409
    assert call(base, "POST", "/v1/login", {"name": "alice", "password": "wrong password"})[0] == 401
    alice = call(base, "POST", "/v1/login", {"name": "alice", "password": "correct horse battery"})[1]["token"]
    bob = call(base, "POST", "/v1/login", {"name": "bob", "password": "correct horse battery"})[1]["token"]

    assert call(base, "POST", "/v1/channels/general/messages", {"data": "no token"})[0] == 401
    status, body = call(base, "POST", "/v1/channels/general/messages", {"data": "hello bob"}, alice)
    assert status == 202, body
    assert call(base, "POST", "/v1/channels/general/messages", {"data": "x" * 5000}, alice)[0] == 413

    def history():
        return call(base, "GET", "/v1/channels/general/messages?limit=100")[1]

    for n in range(3):
        assert call(base, "POST", "/v1/channels/general/messages", {"data": f"shit {n}"}, bob)[0] == 202
    assert wait_until(lambda: len(history()["messages"]) == 4), history()
    texts = [m["data"] for m in history()["messages"]]
    assert texts[0] == "**** 2" and "hello bob" in texts and not any("shit" in t for t in texts)
    assert history()["messages"][0]["author"] == "bob"

    def bob_blocked():
        users = {u["name"]: u for u in call(base, "GET", "/v1/users")[1]["users"]}
        return users.get("bob", {}).get("blocked") is True

    assert wait_until(bob_blocked), call(base, "GET", "/v1/users")[1]
    assert call(base, "POST", "/v1/channels/general/messages", {"data": "let me in"}, bob)[0] == 403

    # Direct messages are private to the two.
    assert call(base, "POST", "/v1/channels/@alice+bob/messages", {"data": "psst"}, alice)[0] == 202
    assert call(base, "GET", "/v1/channels/@alice+bob/messages")[0] == 401

    stats = call(base, "GET", "/v1/stats")[1]
    assert stats["totals"]["warnings"] == 3 and "bob" in stats["blockedUsers"]
    out = subprocess.run([KCHAT_BIN, "stats", "--api", base], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert "warnings 3" in out.stdout and "bob" in out.stdout

    assert b"# TYPE" in call(base, "GET", "/metrics")[1]
    assert call(base, "GET", "/openapi.json")[1]["openapi"].startswith("3.")


def test_serve_shuts_down_gracefully_in_order_on_sigterm(tmp_path):
    """SIGTERM: the hub's ServiceGroup stops the store/API, then the moderator, then the broker,
    exits 0, removes its pid file, and what was acknowledged is still there after a restart."""
    kafka, http = free_port(), free_port()
    data = tmp_path / "data"
    args = [KCHAT_BIN, "serve", "--listen", f"127.0.0.1:{kafka}", "--http", f"127.0.0.1:{http}", "--data", str(data)]
    env = {**os.environ, "KCHAT_JWT_SECRET": "test-secret-" + "x" * 40}
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wait_for_port(kafka)
    wait_for_port(http)
    brokers = f"127.0.0.1:{kafka}"
    # kchat serve requires authentication: the clients log in through the hub's API (ana is
    # registered on first use) and keep the token in their own data directory.
    client = {**os.environ, "KCHAT_PASSWORD": "ana's password", "KCHAT_DATA": str(tmp_path / "client"),
              "KCHAT_API": f"http://127.0.0.1:{http}"}
    subprocess.run([KCHAT_BIN, "send", "--brokers", brokers, "--channel", "general", "--user", "ana", "before the stop"],
                   check=True, capture_output=True, timeout=30, env=client)
    assert (data / "hub.pid").exists()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    assert not (data / "hub.pid").exists()
    log = (data / "hub.log").read_text()
    order = ["store/REST API stopped", "moderator stopped", "stopping the broker", "hub stopped"]
    positions = [log.find(line) for line in order]
    assert all(p >= 0 for p in positions), f"missing shutdown lines: {order} in\n{log[-2000:]}"
    assert positions == sorted(positions), f"shutdown out of order: {dict(zip(order, positions))}"
    # Restart on the same data: the message is still there, moderated.
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        wait_for_port(kafka)
        assert wait_until(lambda: "before the stop" in subprocess.run(
            [KCHAT_BIN, "read", "--brokers", brokers, "--channel", "general", "--user", "ana"],
            capture_output=True, text=True, timeout=60, env=client).stdout)
        # The log is appended to, not started afresh: both runs are in it.
        assert (data / "hub.log").read_text().count("hub up:") == 2
    finally:
        proc.terminate()
        proc.wait(30)
