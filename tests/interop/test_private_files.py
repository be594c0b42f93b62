"""The data directory holds DMs, password hashes, the JWT secret and logs: `kchat serve` keeps it
0700 and every file in it 0600 from creation, and tightens what an older version left open."""
import os
import stat
import subprocess
import time

from conftest import KCHAT_BIN, free_port, wait_for_port


def test_the_hub_data_directory_is_private(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    old = data / "old.log"
    old.write_text("left by an older version\n")
    os.chmod(old, 0o644)
    kafka, http = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k != "KCHAT_JWT_SECRET"}
    hub = subprocess.Popen([KCHAT_BIN, "serve", "--listen", f"127.0.0.1:{kafka}", "--http", f"127.0.0.1:{http}",
                            "--data", str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        wait_for_port(kafka)
        wait_for_port(http)
        # alice logs in through the API (registered on first use); her token is kept in the same
        # data directory, and must be private too.
        sent = subprocess.run([KCHAT_BIN, "send", "-c", "general", "-u", "alice", "hello",
                               "--brokers", f"127.0.0.1:{kafka}", "--api", f"http://127.0.0.1:{http}", "--data", str(data)],
                              capture_output=True, text=True, timeout=60, env={**env, "KCHAT_PASSWORD": "alice's password"})
        assert sent.returncode == 0, sent.stderr
        time.sleep(2)  # moderated, stored, logged
    finally:
        hub.terminate()
        hub.wait(30)
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    names = set()
    for root, dirs, files in os.walk(data):
        for d in dirs:
            mode = stat.S_IMODE(os.stat(os.path.join(root, d)).st_mode)
            assert mode & 0o077 == 0, f"{os.path.join(root, d)} is {oct(mode)}"
        for f in files:
            path = os.path.join(root, f)
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
            names.add(f)
    assert {"jwt.secret", "hub.log", "old.log", "alice@127.0.0.1_%d.json" % http} <= names, names
    assert any(n.endswith(".sqlite") for n in names) and any(n.endswith(".log") and n[0].isdigit() for n in names), names
