"""The scriptable commands (kchat send/read/channels) against the real broker."""
import time

from conftest import kchat


def test_send_then_read_echo_in_order_per_channel(broker):
    for i in range(10):
        for channel in ("alpha", "beta"):
            out = kchat(broker, "send", "-c", channel, "-u", "alice", f"{channel} {i}")
            assert out.returncode == 0, out.stderr
            assert len(out.stdout.strip()) == 36  # the message id
    for channel in ("alpha", "beta"):
        out = kchat(broker, "read", "-c", channel, "--unmoderated")
        assert out.returncode == 0, out.stderr
        texts = [line.split(": ", 1)[1] for line in out.stdout.splitlines()]
        assert texts == [f"{channel} {i}" for i in range(10)]


def test_read_shows_escapes_visibly(broker):
    assert kchat(broker, "send", "-c", "general", "-u", "mallory", "hi \x1b[31mred\x1b[0m \x07").returncode == 0
    out = kchat(broker, "read", "-c", "general", "--unmoderated")
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "␛[31mred" in out.stdout


def test_send_fails_fast_with_one_line_error_when_broker_down(broker):
    broker.stop()
    start = time.time()
    out = kchat(broker, "send", "-c", "general", "-u", "alice", "anyone?", "-X", "message.timeout.ms=2000", timeout=30)
    assert out.returncode != 0
    assert time.time() - start < 15
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "send failed" in lines[0], out.stderr


def test_invalid_message_is_refused_with_reason(broker):
    out = kchat(broker, "send", "-c", "general", "-u", "alice", "x" * 5000)
    assert out.returncode != 0
    assert "4096" in out.stderr and "5000" in out.stderr


def test_channels_create_list_delete(broker):
    assert kchat(broker, "channels", "list").stdout.split() == ["general"]
    assert kchat(broker, "channels", "create", "random", "-u", "alice").returncode == 0
    assert kchat(broker, "channels", "create", "#Dev", "-u", "alice").returncode == 0
    assert kchat(broker, "channels", "list").stdout.split() == ["dev", "general", "random"]
    again = kchat(broker, "channels", "create", "random")
    assert again.returncode != 0 and "already exists" in again.stderr
    assert kchat(broker, "channels", "delete", "random").returncode == 0
    assert kchat(broker, "channels", "list").stdout.split() == ["dev", "general"]
    missing = kchat(broker, "channels", "delete", "nope")
    assert missing.returncode != 0 and "no channel" in missing.stderr


def test_follow_survives_broker_restart(broker, services):
    reader = services("read", "-c", "general", "--unmoderated", "--follow", name="reader")
    time.sleep(2)
    assert kchat(broker, "send", "-c", "general", "-u", "alice", "before restart").returncode == 0
    broker.kill9()
    broker.start()
    sent = kchat(broker, "send", "-c", "general", "-u", "alice", "after restart")
    assert sent.returncode == 0, sent.stderr
    deadline = time.time() + 20
    while "after restart" not in reader.output() and time.time() < deadline:
        time.sleep(0.2)
    out = reader.output()
    assert "before restart" in out and "after restart" in out


def test_read_says_when_no_moderator_is_running(broker, services):
    assert kchat(broker, "send", "-c", "general", "-u", "alice", "hello?").returncode == 0
    out = kchat(broker, "read", "-c", "general")
    assert out.returncode == 0 and out.stdout == ""
    assert "no moderator is running" in out.stderr and "--unmoderated" in out.stderr
    assert "no moderator" not in kchat(broker, "read", "-c", "general", "--unmoderated").stderr

    services("moderator", name="moderator")
    deadline = time.time() + 30
    while time.time() < deadline:
        out = kchat(broker, "read", "-c", "general")
        if "hello?" in out.stdout:
            break
        time.sleep(0.5)
    assert "hello?" in out.stdout
    assert "no moderator" not in out.stderr, out.stderr
