"""docker-compose.yml: valid for docker-compose, and every kchat command in it runs as written
against local stand-ins (a `kchat broker` for `kafka:9092`, the with-postgres server or SQLite for
`postgres:5432`). Apache Kafka and Docker themselves cannot run on the build machines."""
import os
import subprocess
import time

import yaml

from conftest import KCHAT_BIN, free_port, wait_for_port
from test_api import call

ROOT = os.path.join(os.path.dirname(__file__), "../..")
SECRET = "compose-secret-" + "c" * 40


def compose_config():
    out = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                         capture_output=True, text=True, env={**os.environ, "KCHAT_JWT_SECRET": SECRET}, timeout=60)
    assert out.returncode == 0, out.stderr
    return yaml.safe_load(out.stdout)


def test_compose_file_is_valid_and_has_the_multi_machine_services():
    services = compose_config()["services"]
    assert set(services) == {"kafka", "postgres", "moderator", "api"}
    assert "apache/kafka" in services["kafka"]["image"]
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller", "KRaft, no ZooKeeper"
    assert services["moderator"]["command"][:1] == ["moderator"]
    assert services["api"]["command"][:1] == ["api"]
    assert "ports" not in services["postgres"], "the database is reached by the services only"
    # Without a secret the API must not start with a guessable one.
    out = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                         capture_output=True, text=True, env={k: v for k, v in os.environ.items() if k != "KCHAT_JWT_SECRET"})
    assert out.returncode != 0 and "KCHAT_JWT_SECRET" in out.stderr


def test_compose_commands_run_against_local_stand_ins(broker, tmp_path):
    services = compose_config()["services"]
    database = os.environ.get("KCHAT_TEST_POSTGRES_URL") or f"sqlite:{tmp_path}/store.sqlite"
    http = free_port()

    def local(args):
        replaced = []
        for arg in args:
            arg = arg.replace("kafka:9092", broker.bootstrap)
            if arg.startswith("postgres://") and "@postgres:" in arg:
                arg = database
            replaced.append(arg.replace("0.0.0.0:8080", f"127.0.0.1:{http}").replace("/data", str(tmp_path / "data")))
        return replaced

    env = {**os.environ, **{k: str(v) for k, v in (services["api"].get("environment") or {}).items()}}
    procs = [subprocess.Popen([KCHAT_BIN, *local(services[name]["command"])], env=env,
                              stdout=open(tmp_path / f"{name}.log", "w"), stderr=subprocess.STDOUT)
             for name in ("moderator", "api")]
    try:
        wait_for_port(http, timeout=30)
        assert call(f"http://127.0.0.1:{http}", "GET", "/healthz")[0] == 200
        time.sleep(2)
        for name, proc in zip(("moderator", "api"), procs):
            assert proc.poll() is None, f"{name} exited: {(tmp_path / f'{name}.log').read_text()[-2000:]}"
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(30)
