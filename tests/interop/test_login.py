"""`kchat login`: one account for REST and Kafka. The first login of a nick registers it (when
new) and keeps the token (0600); later logins use or refresh the saved token without asking; a
wrong password for a registered name is refused with a one-line error."""
import json
import os
import stat
import subprocess

from conftest import KCHAT_BIN
from test_api import call, hub  # noqa: F401  (the hub fixture)


def login(base, data, user, password=None, password_file=None):
    env = {k: v for k, v in os.environ.items() if k != "KCHAT_PASSWORD"}
    if password is not None:
        env["KCHAT_PASSWORD"] = password
    args = [KCHAT_BIN, "login", "-u", user, "--api", base, "--data", str(data)]
    if password_file:
        args += ["--password-file", str(password_file)]
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)


def test_first_login_registers_and_keeps_a_private_token(hub, tmp_path):  # noqa: F811
    base, _ = hub
    data = tmp_path / "client"
    first = login(base, data, "dora", password="correct horse battery")
    assert first.returncode == 0, first.stderr
    assert "registered and logged in" in first.stdout
    files = list((data / "tokens").iterdir())
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "tokens").stat().st_mode) == 0o700
    token = json.loads(files[0].read_text())["token"]
    # The kept token works on the API (dora's own DM channel).
    assert call(base, "GET", "/v1/channels/@dora+eve/messages", token=token)[0] == 200

    again = login(base, data, "dora")  # no password needed now
    assert again.returncode == 0, again.stderr
    assert "already logged in" in again.stdout

    # Near its expiry (as the file says), the saved token is traded for a fresh one, still without asking.
    import datetime
    saved = json.loads(files[0].read_text())
    soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    saved["expiresAt"] = soon.strftime("%Y-%m-%dT%H:%M:%SZ")
    files[0].write_text(json.dumps(saved))
    refreshed = login(base, data, "dora")
    assert refreshed.returncode == 0 and "token refreshed" in refreshed.stdout, refreshed.stdout + refreshed.stderr
    assert json.loads(files[0].read_text())["expiresAt"] != saved["expiresAt"]

    # Elsewhere (no saved token): the same account, from a password file.
    password_file = tmp_path / "pw"
    password_file.write_text("correct horse battery\n")
    other = login(base, tmp_path / "other", "dora", password_file=password_file)
    assert other.returncode == 0 and "logged in" in other.stdout and "registered" not in other.stdout


def test_a_wrong_password_or_no_password_is_a_one_line_error(hub, tmp_path):  # noqa: F811
    base, _ = hub
    assert login(base, tmp_path / "a", "fred", password="fred's real password").returncode == 0
    wrong = login(base, tmp_path / "b", "fred", password="not fred's password")
    assert wrong.returncode != 0
    assert "wrong user name or password" in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    missing = login(base, tmp_path / "c", "fred")
    assert missing.returncode != 0 and "KCHAT_PASSWORD" in missing.stderr
    bad = login(base, tmp_path / "d", "bad name!", password="whatever123")
    assert bad.returncode != 0 and "invalid nick" in bad.stderr
