"""docker-compose.yml describes the production shape: Caddy (TLS) in front of two web
instances, a worker per instance, one beat, PostgreSQL, Redis and an object store (MinIO),
each long-running service with a health check, every variable known. Read as YAML here
(no Docker engine needed); `docker compose config` (or docker-compose) validates it too
where installed."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
README = (ROOT / "README.md").read_text()
# The object store's and Redis's names, given to the change that makes files go through
# STORAGES and sessions through Redis (issue 17). Until settings read them, they need not
# be in README's table; once they do, they must be.
AWAITED = {
    "REDIS_URL",
    "S3_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
}
ONE_SHOT = {"migrate", "bucket"}


def app_services() -> dict:
    return {name: s for name, s in SERVICES.items() if s.get("image") == "disclosure-tracker"}


def command(service: dict) -> str:
    value = service.get("command", "")
    return " ".join(value) if isinstance(value, list) else value


def replicas(service: dict) -> int:
    return service.get("deploy", {}).get("replicas", 1)


def test_the_shape_two_webs_a_worker_each_one_beat_and_the_services_they_need():
    assert set(SERVICES) == {
        "caddy",
        "web1",
        "web2",
        "worker",
        "beat",
        "migrate",
        "postgres",
        "redis",
        "minio",
        "bucket",
    }
    webs = [n for n, s in app_services().items() if command(s).startswith("gunicorn ")]
    assert webs == ["web1", "web2"]
    workers = [s for s in app_services().values() if " worker" in command(s)]
    assert sum(replicas(s) for s in workers) == len(webs)
    beats = [(n, s) for n, s in app_services().items() if re.search(r"\bbeat\b", command(s))]
    assert [(n, replicas(s)) for n, s in beats] == [("beat", 1)]
    assert "DatabaseScheduler" in command(beats[0][1])
    assert SERVICES["minio"]["image"].startswith("minio/")
    assert SERVICES["caddy"]["image"].startswith("caddy")


def test_only_the_one_shot_service_migrates_and_everything_waits_for_it():
    migrating = [n for n, s in app_services().items() if "migrate" in command(s)]
    assert migrating == ["migrate"]
    for name, service in app_services().items():
        if name != "migrate":
            assert service["depends_on"]["migrate"] == {
                "condition": "service_completed_successfully"
            }, name
            assert service["depends_on"]["bucket"]["condition"] == "service_completed_successfully"


def test_the_webs_bind_only_and_leave_tuning_to_gunicorn_conf():
    for name in ("web1", "web2"):
        assert command(SERVICES[name]) == "gunicorn disclosure.wsgi --bind 0.0.0.0:8000"
        assert "ports" not in SERVICES[name]  # reached through Caddy only
    assert {p.split(":")[-1] for p in SERVICES["caddy"]["ports"]} == {"80", "443"}


def test_every_long_running_service_has_a_health_check_and_restarts():
    for name, service in SERVICES.items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", name
            continue
        assert service["restart"] == "unless-stopped", name
        check = service.get("healthcheck", {}).get("test")
        assert check and check[0] in ("CMD", "CMD-SHELL"), name


def test_caddy_balances_both_webs_and_the_app_trusts_it_alone():
    caddyfile = (ROOT / "Caddyfile").read_text()
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", caddyfile).group(1).split()
    assert upstreams == ["web1:8000", "web2:8000"]
    assert "lb_policy round_robin" in caddyfile
    assert "health_uri /healthz" in caddyfile
    # Sync workers (gunicorn.conf.py) need a proxy that buffers: a slow client must not hold
    # an instance's process while its upload arrives or its download leaves.
    assert "request_buffers 32MiB" in caddyfile and "response_buffers 32MiB" in caddyfile
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in SERVICES["caddy"]["volumes"]
    for service in app_services().values():
        env = service["environment"]
        assert (env["TRUSTED_PROXIES"], env["HTTPS"], env["DEBUG"]) == ("1", "1", "0")
        # Health checks ask by this name: it must be allowed.
        assert "127.0.0.1" in env["ALLOWED_HOSTS"].split(",")


def test_files_go_to_the_object_store_and_shared_state_to_redis():
    for service in app_services().values():
        env = service["environment"]
        assert set(env) >= AWAITED
        assert env["S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert env["REDIS_URL"] != env["CELERY_BROKER_URL"]
        assert "MEDIA_ROOT" not in env
    assert "volumes" not in app_services()["web1"]  # nothing kept on an instance's disk


def test_every_variable_the_app_is_given_is_in_the_readme_table():
    source = (ROOT / "disclosure" / "settings.py").read_text()
    read = set(
        re.findall(r"""(?:env(?:bool|int|list)|environ\.get)\(\s*["']([A-Z0-9_]+)["']""", source)
    )
    section = README[README.index("## Configuration (environment)") :]
    table = "\n".join(line for line in section.splitlines() if line.startswith("| `"))
    given = {name for service in app_services().values() for name in service["environment"]}
    awaited = AWAITED - read
    assert sorted(n for n in given - awaited if f"`{n}`" not in table) == []


def test_every_variable_of_the_compose_files_is_explained_in_the_deploy_section():
    text = (ROOT / "docker-compose.yml").read_text() + (ROOT / "Caddyfile").read_text()
    names = set(re.findall(r"\$\{([A-Z0-9_]+)", text)) | set(re.findall(r"\{\$([A-Z0-9_]+)", text))
    deploy = README[README.index("## Deploying") :]
    deploy = deploy[: deploy.index("\n## ", 1)]
    assert {"SECRET_KEY", "SITE_HOST", "S3_SECRET_ACCESS_KEY", "CADDY_TLS"} <= names
    assert sorted(n for n in names if f"`{n}`" not in deploy) == []


def compose_command() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_accepts_the_file_and_asks_for_the_secrets(tmp_path):
    tool = compose_command()
    if tool is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    # Nothing from this machine's environment or a developer's .env: only what is given.
    base = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(tmp_path)}
    empty = tmp_path / "empty.env"
    empty.touch()
    secrets = {"SECRET_KEY": "k" * 50, "S3_SECRET_ACCESS_KEY": "s" * 40}
    ok = subprocess.run(
        tool + ["--env-file", str(empty), "config", "-q"],
        cwd=ROOT,
        env=base | secrets,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    missing = subprocess.run(
        tool + ["--env-file", str(empty), "config", "-q"],
        cwd=ROOT,
        env=base | {"S3_SECRET_ACCESS_KEY": "s" * 40},
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0
    assert "set SECRET_KEY in .env" in missing.stderr
