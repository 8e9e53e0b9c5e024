"""Where things are: the user's config file and the journal folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# YAML (netjournal.store.frontmatter) is imported where a file is read or written:
# resolving the journal folder from --journal or $NETJOURNAL_DIR must stay cheap for
# the quick commands (netjournal.quick).

APP = "netjournal"


def user_config_dir() -> Path:
    """``$NETJOURNAL_CONFIG_DIR``, else the platform's config folder for netjournal."""
    override = os.environ.get("NETJOURNAL_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP)


def user_config_file() -> Path:
    return user_config_dir() / "config.yaml"


def default_journal_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP)


class ConfigError(ValueError):
    """The user's config file is there but cannot be read."""


def read_user_config(*, strict: bool = False) -> dict[str, Any]:
    """The user's config as a dict; a missing one is empty.  An unreadable one is
    empty too, unless ``strict``: then it raises ConfigError saying where and why."""
    from netjournal.store import frontmatter

    path = user_config_file()
    try:
        return frontmatter.parse_meta(path.read_text(encoding="utf-8"), 1)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        if strict:
            raise ConfigError(f"{path} cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
        return {}
    except frontmatter.FrontMatterError as exc:
        if strict:
            raise ConfigError(f"{path}:{exc.line}: {exc.reason}") from None
        return {}


def write_user_config(**changes: Any) -> None:
    """Set keys in the user's config, keeping the rest of the file as it is."""
    from netjournal.store import frontmatter
    from netjournal.store.files import atomic_write, ensure_dir

    path = user_config_file()
    try:
        raw: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raw = None
    except UnicodeDecodeError:
        raise OSError(f"{path} is not UTF-8 text; it was left as it is") from None
    old = None
    if raw is not None:
        try:
            old = frontmatter.parse_meta(raw, 1)
        except frontmatter.FrontMatterError as exc:
            # never replace a config the user can still fix by hand
            raise OSError(f"{path} does not read as YAML (line {exc.line}: {exc.reason}); "
                          "it was left as it is") from None
    new = dict(old or {})
    new.update(changes)
    text = frontmatter.render_meta(new, raw, old)
    ensure_dir(path.parent)
    atomic_write(path, text.encode("utf-8"))


def resolve_journal(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, str]:
    """The journal folder and where the choice came from.

    ``--journal DIR``, else ``$NETJOURNAL_DIR``, else the user config's ``journal:``,
    else the platform's user data folder.
    """
    if explicit:
        return Path(explicit).expanduser(), "--journal"
    env = os.environ.get("NETJOURNAL_DIR")
    if env:
        return Path(env).expanduser(), "NETJOURNAL_DIR"
    # strict: with a broken config, opening (or creating!) the default journal instead
    # of the one it names would look like the user's journal had vanished
    try:
        configured = read_user_config(strict=True).get("journal")
    except ConfigError as exc:
        raise ConfigError(f"{exc}; fix it, or say which journal with --journal") from None
    if isinstance(configured, str) and configured.strip():
        return Path(configured).expanduser(), str(user_config_file())
    return default_journal_dir(), "default"


def shipped_themes_dir() -> Path | None:
    """The themes that come with netjournal (top-level ``themes/`` in a checkout,
    ``netjournal/themes`` in a wheel)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "themes", here / "themes"):
        if candidate.is_dir():
            return candidate
    return None


def read_theme_files() -> list[tuple[str, dict[str, Any] | str]]:
    """Every theme file, shipped first, then the user's (``<config dir>/themes/``,
    which may override a shipped one by name): (path, its mapping) or (path, why it
    cannot be read)."""
    from netjournal.store import frontmatter

    found: list[tuple[str, dict[str, Any] | str]] = []
    for folder in (shipped_themes_dir(), user_config_dir() / "themes"):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            try:
                found.append((str(path), frontmatter.parse_meta(path.read_text(encoding="utf-8"), 1)))
            except (OSError, UnicodeDecodeError, frontmatter.FrontMatterError) as exc:
                found.append((str(path), str(exc)))
    return found
