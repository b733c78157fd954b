"""deploy/compose.yaml and its Caddyfile, read with PyYAML (no Docker engine or compose here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.settings import ENV_NAMES, Settings
from tests.deploy.imagebuild import DOCKERFILE, exec_form, parse_dockerfile

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
BOT: dict[str, Any] = SERVICES["bot"]

# Service keys of the Compose specification that this file may use; a typo such as
# `healtcheck` would otherwise be silently ignored by a check that only reads known keys.
SERVICE_KEYS = {
    "build", "image", "env_file", "environment", "volumes", "restart", "healthcheck", "expose",
    "ports", "read_only", "tmpfs", "cap_drop", "security_opt", "stop_grace_period", "logging",
    "profiles", "depends_on", "command",
}  # fmt: skip


def test_only_known_keys() -> None:
    extensions = {key for key in COMPOSE if key.startswith("x-")}  # shared blocks (anchors)
    assert set(COMPOSE) - extensions <= {"name", "services", "volumes"}
    for name, service in SERVICES.items():
        assert set(service) <= SERVICE_KEYS, (name, set(service) - SERVICE_KEYS)


def test_bot_builds_from_the_repository_root_with_the_dockerfile() -> None:
    build = BOT["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE


def test_bot_keeps_its_database_on_a_named_volume() -> None:
    named = [v.split(":")[0] for v in BOT["volumes"] if v.split(":")[1] == "/data"]
    assert len(named) == 1 and named[0] in COMPOSE["volumes"], "a named volume on /data"


def test_bot_reads_env_file_restarts_and_is_not_published() -> None:
    assert BOT["env_file"] in (".env", [".env"])
    assert BOT["restart"] in ("unless-stopped", "always")
    assert "ports" not in BOT, "the webhook port is for the proxy only"
    assert "profiles" not in BOT, "`docker compose up` must start the bot"


def test_bot_healthcheck_is_the_images() -> None:
    runtime = parse_dockerfile(DOCKERFILE.read_text())[-1]
    (image_check,) = [a for kw, a in runtime.instructions if kw == "HEALTHCHECK"]
    check = BOT["healthcheck"]
    assert check["test"] == ["CMD", *exec_form(image_check.split(" CMD ", 1)[1])]
    assert {"interval", "timeout", "retries", "start_period"} <= set(check)


def test_bot_is_locked_down() -> None:
    assert BOT["read_only"] is True and BOT["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in BOT["security_opt"]
    assert BOT["logging"]["options"]["max-size"], "rotate logs"


def _profile(name: str) -> dict[str, dict[str, Any]]:
    return {k: s for k, s in SERVICES.items() if name in s.get("profiles", [])}


def test_webhook_proxy_is_an_opt_in_profile_serving_https() -> None:
    proxies = list(_profile("webhook").values())
    assert len(proxies) == 1
    (proxy,) = proxies
    assert proxy["profiles"] == ["webhook"]
    tag = proxy["image"].partition(":")[2]
    assert tag and tag != "latest", "pin the proxy image"
    assert "443:443" in proxy["ports"] and "bot" in proxy["depends_on"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in proxy["volumes"]}
    assert (DEPLOY / mounts["/etc/caddy/Caddyfile"]).is_file()


def test_caddyfile_forwards_only_the_webhook_path_to_the_bots_port() -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    defaults = Settings.model_fields
    path = defaults["telegram_webhook_path"].default
    port = defaults["telegram_webhook_port"].default
    assert re.search(r"handle \{\$TELEGRAM_WEBHOOK_PATH:" + re.escape(path) + r"\}", caddyfile)
    assert re.search(r"reverse_proxy bot:\{\$TELEGRAM_WEBHOOK_PORT:" + str(port) + r"\}", caddyfile)
    assert re.search(r"handle \{\s*respond 404", caddyfile), "everything else: 404"
    assert str(port) in BOT["expose"]


def test_substituted_variables_are_documented_in_env_example() -> None:
    """Every ${VAR} compose substitutes must be a bot setting or a documented compose-only one,
    with the bot's own default."""
    text = (DEPLOY / "compose.yaml").read_text()
    example = (DEPLOY / ".env.example").read_text()
    by_env = {env: field for field, env in ENV_NAMES.items()}
    for name, default in re.findall(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}", text):
        assert re.search(rf"^#?{name}=", example, re.M), f"{name} missing from .env.example"
        if name in by_env and default:
            assert default == str(Settings.model_fields[by_env[name]].default), name


# -- profile `replicas`: PostgreSQL and two bots behind Caddy ---------------------------------


def test_replicas_profile_adds_a_second_bot_postgresql_and_a_balancing_proxy() -> None:
    assert set(_profile("replicas")) == {"bot-2", "postgres", "caddy-replicas"}
    assert not set(_profile("replicas")) & set(_profile("webhook")), "one proxy at a time"


def test_second_bot_is_configured_like_the_first() -> None:
    second = SERVICES["bot-2"]
    differs = {"profiles", "volumes", "depends_on"}
    assert {k: v for k, v in second.items() if k not in differs} == {
        k: v for k, v in BOT.items() if k not in differs
    }
    assert second["volumes"] != BOT["volumes"], "each replica its own /data volume"
    assert second["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert BOT["depends_on"]["postgres"] == {"condition": "service_healthy", "required": False}


def test_postgresql_is_pinned_private_persistent_and_checked() -> None:
    pg = SERVICES["postgres"]
    tag = pg["image"].partition(":")[2]
    assert pg["image"].startswith("postgres:") and tag and tag != "latest"
    assert "ports" not in pg, "the database is for the bots only"
    named = [v.split(":")[0] for v in pg["volumes"] if v.endswith(":/var/lib/postgresql/data")]
    assert len(named) == 1 and named[0] in COMPOSE["volumes"]
    assert "pg_isready" in pg["healthcheck"]["test"]
    assert pg["environment"]["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:-}", "from .env only"
    example = (DEPLOY / ".env.example").read_text()
    user, db = pg["environment"]["POSTGRES_USER"], pg["environment"]["POSTGRES_DB"]
    assert f"postgresql://{user}:<POSTGRES_PASSWORD>@postgres:5432/{db}" in example


def test_replicas_caddyfile_balances_the_webhook_path_over_both_bots() -> None:
    proxy = SERVICES["caddy-replicas"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in proxy["volumes"]}
    caddyfile = (DEPLOY / mounts["/etc/caddy/Caddyfile"]).read_text()
    port = Settings.model_fields["telegram_webhook_port"].default
    upstreams = re.search(r"reverse_proxy ((?:\S+ )+)\{", caddyfile)
    assert upstreams is not None
    hosts = {u.split(":")[0] for u in upstreams.group(1).split()}
    assert hosts == {"bot", "bot-2"} == set(proxy["depends_on"])
    assert f"{{$TELEGRAM_WEBHOOK_PORT:{port}}}" in upstreams.group(1)
    assert re.search(r"lb_try_duration \d+s", caddyfile), "a dead replica is skipped"
    assert "health_uri /healthz" in caddyfile
    assert re.search(r"handle \{\s*respond 404", caddyfile), "everything else: 404"
