"""Local secrets for a machine that has not been given any, and settings a machine records for itself.

Production sets SECRET_KEY, JIEDAO_FIELD_KEYS and JIEDAO_INDEX_KEY in the environment. A developer's or
demo machine gets them generated once into ``DATA_DIR/secrets.json`` (mode 600), so that the quick start
needs no manual step and a restart keeps decrypting what it wrote.

A setting the environment does not give can also be recorded in ``DATA_DIR/settings.json``: ``jiedao demo``
records JIEDAO_DEFAULT_SUBDISTRICT there (Caoyang), so that the demo serves Caoyang by default.
"""

import base64
import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


def _new_secrets() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "JIEDAO_FIELD_KEYS": Fernet.generate_key().decode(),
        "JIEDAO_INDEX_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


def local_secrets(data_dir: Path) -> dict[str, str]:
    """Read the machine's generated secrets, creating the file on first use."""
    path = data_dir / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    data_dir.mkdir(parents=True, exist_ok=True)
    values = _new_secrets()
    # O_EXCL: two processes starting at once must not each write different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return json.loads(path.read_text())
    with os.fdopen(fd, "w") as fh:
        json.dump(values, fh)
    return values


def env_or_local(name: str, data_dir: Path) -> str:
    value = os.environ.get(name)
    if value:
        return value
    return local_secrets(data_dir)[name]


# Settings this machine recorded for itself (not secrets): the demo records its default subdistrict here.
LOCAL_SETTINGS = "settings.json"


def local_setting(name: str, data_dir: Path) -> str:
    """A setting recorded in ``DATA_DIR/settings.json``, or "" when none is."""
    try:
        return str(json.loads((data_dir / LOCAL_SETTINGS).read_text()).get(name, ""))
    except FileNotFoundError:
        return ""


def record_local_setting(name: str, value: str, data_dir: Path) -> None:
    """Record a setting in ``DATA_DIR/settings.json`` for the processes started after this. The file is
    written aside and renamed into place, so that a process starting meanwhile reads the old or the new."""
    path = data_dir / LOCAL_SETTINGS
    values = json.loads(path.read_text()) if path.exists() else {}
    values[name] = value
    data_dir.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    aside.write_text(json.dumps(values, ensure_ascii=False, indent=2))
    os.replace(aside, path)
