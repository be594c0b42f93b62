"""Hostile bytes close that one connection, with a log line; the broker keeps serving others."""
import socket
import struct
import subprocess

import pytest


def closed_by_peer(sock, timeout=5.0) -> bool:
    sock.settimeout(timeout)
    try:
        while True:
            if sock.recv(65536) == b"":
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def api_versions_ok(broker) -> bool:
    """A well-formed ApiVersions v0 request on a fresh connection gets an answer."""
    with socket.create_connection(("127.0.0.1", broker.port)) as s:
        body = struct.pack(">hhih", 18, 0, 42, 4) + b"test"
        s.sendall(struct.pack(">i", len(body)) + body)
        s.settimeout(5)
        size = struct.unpack(">i", s.recv(4))[0]
        data = b""
        while len(data) < size:
            data += s.recv(size - len(data))
        correlation, error = struct.unpack(">ih", data[:6])
        return correlation == 42 and error == 0


CASES = {
    "garbage": b"\x00\x00\x00\x08" + b"\xde\xad\xbe\xef\x13\x37\x00\xff",
    "2GiB-length": struct.pack(">i", 0x7FFFFFFF) + b"\x00" * 16,
    "negative-length": struct.pack(">i", -5),
    "unknown-api-key": struct.pack(">i", 10) + struct.pack(">hhih", 999, 0, 1, 0),
    "unsupported-version": struct.pack(">i", 10) + struct.pack(">hhih", 3, 99, 1, 0),
    "truncated-body": struct.pack(">i", 12) + struct.pack(">hhih", 3, 1, 1, 0) + b"\x00\x00",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_frame_closes_connection_and_broker_keeps_serving(broker, name):
    bystander = socket.create_connection(("127.0.0.1", broker.port))
    with socket.create_connection(("127.0.0.1", broker.port)) as s:
        s.sendall(CASES[name])
        assert closed_by_peer(s), f"{name}: connection should be closed"
    assert broker.alive()
    assert "closing connection from" in broker.log()
    assert api_versions_ok(broker)
    # A connection opened before the bad one is still served.
    body = struct.pack(">hhih", 18, 0, 7, -1)
    bystander.sendall(struct.pack(">i", len(body)) + body)
    bystander.settimeout(5)
    assert len(bystander.recv(4)) == 4
    bystander.close()
    out = subprocess.run(["kcat", "-b", broker.bootstrap, "-L"], capture_output=True, text=True, timeout=20)
    assert out.returncode == 0


def test_api_versions_v3_gets_unsupported_version_with_v0_body(broker):
    with socket.create_connection(("127.0.0.1", broker.port)) as s:
        # Request header v2 (flexible): client id then an empty tagged-field section; body ignored.
        body = struct.pack(">hhih", 18, 3, 9, 3) + b"abc" + b"\x00" + b"\x04kcat\x061.7.1\x00"
        s.sendall(struct.pack(">i", len(body)) + body)
        s.settimeout(5)
        size = struct.unpack(">i", s.recv(4))[0]
        data = s.recv(size)
        correlation, error, count = struct.unpack(">ihi", data[:10])
        assert (correlation, error, count) == (9, 35, 1)
        assert struct.unpack(">hhh", data[10:16]) == (18, 0, 2)
