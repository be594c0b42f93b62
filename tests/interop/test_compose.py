"""docker-compose.yml: valid for docker-compose, Kafka reachable only with SASL, and every kchat
command in it runs as written against local stand-ins (a `kchat broker` for `kafka:9092`, without
the SASL settings, which it does not speak; the with-postgres server or SQLite for
`postgres:5432`). Apache Kafka and Docker themselves cannot run on the build machines, so Kafka's
own SASL/OIDC settings are checked as configuration only."""
import json
import os
import subprocess
import time

import yaml

from conftest import KCHAT_BIN, free_port, wait_for_port
from test_api import call

ROOT = os.path.join(os.path.dirname(__file__), "../..")
SECRET = "compose-secret-" + "c" * 40
SERVICE_PASSWORD = "compose-service-password"
ENV = {**os.environ, "KCHAT_JWT_SECRET": SECRET, "KCHAT_SERVICE_PASSWORD": SERVICE_PASSWORD}


def compose_config():
    out = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                         capture_output=True, text=True, env=ENV, timeout=60)
    assert out.returncode == 0, out.stderr
    return yaml.safe_load(out.stdout)


def test_compose_file_is_valid_and_has_the_multi_machine_services():
    services = compose_config()["services"]
    assert set(services) == {"kafka", "postgres", "moderator", "api", "jwks"}
    assert "apache/kafka" in services["kafka"]["image"]
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller", "KRaft, no ZooKeeper"
    assert services["moderator"]["command"][:1] == ["moderator"]
    assert services["api"]["command"][:1] == ["api"]
    assert "ports" not in services["postgres"], "the database is reached by the services only"
    # Kafka: every client listener is SASL; users with OAUTHBEARER checked against the hub's JWKS,
    # the services with PLAIN as the super user; an authorizer that denies what no ACL allows.
    kafka = services["kafka"]["environment"]
    protocols = dict(pair.split(":") for pair in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    exposed = [spec.split("://")[0] for spec in kafka["KAFKA_LISTENERS"].split(",") if not spec.startswith("CONTROLLER")]
    assert all(protocols[name] == "SASL_PLAINTEXT" for name in exposed), protocols
    assert [int(p["target"]) for p in services["kafka"]["ports"]] == [9094] and "EXTERNAL://:9094" in kafka["KAFKA_LISTENERS"]
    assert kafka["KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS"] == "OAUTHBEARER"
    assert kafka["KAFKA_SASL_OAUTHBEARER_JWKS_ENDPOINT_URL"] == "file:///jwks/jwks.json"
    assert f'user_kchat-service="{SERVICE_PASSWORD}"' in kafka["KAFKA_LISTENER_NAME_INTERNAL_PLAIN_SASL_JAAS_CONFIG"]
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false" and "User:kchat-service" in kafka["KAFKA_SUPER_USERS"]
    for name in ("moderator", "api"):
        assert f"sasl.password={SERVICE_PASSWORD}" in services[name]["command"], name
    # The JWKS the jwks service writes is the one the hub serves for that secret.
    jwks = subprocess.run([KCHAT_BIN, "token", "--jwks"], capture_output=True, text=True, env=ENV, timeout=20)
    assert jwks.returncode == 0 and json.loads(jwks.stdout)["keys"][0]["crv"] == "Ed25519", jwks.stderr
    assert "kchat token --jwks > /jwks/jwks.json" in " ".join(services["jwks"]["entrypoint"])
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
        # The stand-in broker has no SASL: drop the -X security settings (checked above).
        args = [a for i, a in enumerate(args) if not (a.startswith(("security.", "sasl.")) or
                                                      (a == "-X" and i + 1 < len(args) and args[i + 1].startswith(("security.", "sasl."))))]
        for arg in args:
            arg = arg.replace("kafka:9092", broker.bootstrap)
            if arg.startswith("postgres://") and "@postgres:" in arg:
                arg = database
            replaced.append(arg.replace("0.0.0.0:8080", f"127.0.0.1:{http}").replace("/data", str(tmp_path / "data")))
        return replaced

    env = {**ENV, **{k: str(v) for k, v in (services["api"].get("environment") or {}).items()}}
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
