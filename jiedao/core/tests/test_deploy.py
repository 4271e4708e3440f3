"""Production settings: `jiedao check --deploy` is clean with exactly the environment docs/operations.md
shows, and the pages then carry HTTPS, session, Content-Security-Policy and Permissions-Policy headers."""

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "operations.md"
SECRETS = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "JIEDAO_FIELD_KEYS": lambda: Fernet.generate_key().decode(),
    "JIEDAO_INDEX_KEY": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
}


def documented_production_environment() -> dict[str, str]:
    """The variables of the ```sh block that starts with "# jiedao.env: production", each <secret> generated."""
    block = re.search(r"```sh\n# jiedao\.env: production\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert block, "docs/operations.md has no production environment block"
    env = {}
    for line in block.group(1).splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split("=", 1)
            env[name] = SECRETS[name]() if value.startswith("<") else value
    return env


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    env = documented_production_environment()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "JIEDAO_HTTPS", "JIEDAO_TRUST_PROXY"} <= set(env)
    env["JIEDAO_DATA_DIR"] = str(tmp_path)  # the documented /var/lib/jiedao is not writable here
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jiedao"), "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert not any(tmp_path.iterdir())  # every secret came from the environment, none was generated


def test_without_https_settings_check_deploy_names_what_is_missing(tmp_path):
    env = documented_production_environment()
    del env["JIEDAO_HTTPS"]
    env["JIEDAO_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jiedao"), "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert all(code in result.stderr + result.stdout for code in ("W004", "W008", "W012", "W016"))


def test_pages_carry_a_strict_content_security_policy_and_a_permissions_policy(world, login):
    response = login(world.operator).get("/")
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive] and "'unsafe-eval'" not in policy[directive]
        assert "http" not in policy[directive] and "*" not in policy[directive]
    features = response["Permissions-Policy"]
    assert "geolocation=(self)" in features and "camera=()" in features and "microphone=()" in features


def test_a_session_ends_after_eight_hours_without_a_request(world, client):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    response = client.post("/login/", {"username": "operator", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600


def test_activity_moves_the_end_of_the_session_forward_at_most_every_few_minutes(world, client, monkeypatch):
    import time

    client.post("/login/", {"username": "operator", "password": "pw-for-tests-1"})
    assert "sessionid" not in client.get("/").cookies  # just signed in: nothing to write
    later = time.time() + 6 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    refreshed = client.get("/").cookies["sessionid"]
    assert refreshed["max-age"] == 8 * 3600  # a new end, 8 hours from this request


def test_the_documented_environment_trusts_the_proxy_and_exempts_only_the_health_check(tmp_path):
    env = {**documented_production_environment(), "JIEDAO_DATA_DIR": str(tmp_path)}
    code = ("from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_REDIRECT_EXEMPT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.TRUST_PROXY)")
    result = subprocess.run([str(Path(sys.executable).parent / "jiedao"), "shell", "-c", code],
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **env},
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https') ['^healthz$'] True True True"


def test_an_empty_data_dir_setting_means_the_default_not_the_working_folder(tmp_path):
    """JIEDAO_DATA_DIR= (a variable left empty by a script) once put secrets.json in whatever folder the command
    ran from; it is the default data folder."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JIEDAO_DATA_DIR="", DJANGO_SETTINGS_MODULE="jiedao.settings")
    code = "from django.conf import settings; print(settings.DATA_DIR)"
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(Path(settings.BASE_DIR) / "data")
    assert not (tmp_path / "secrets.json").exists()
