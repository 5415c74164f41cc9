"""Read a Config from a TOML file, checking every key and type on the way.

The file holds only what differs from the defaults (prod). Its shape:

    environment = "dev"
    [cluster]
    kubernetes_version = "1.34"
    public_access_cidrs = ["203.0.113.0/24"]
    [node_group]
    capacity_type = "ON_DEMAND"
    labels = { "workload-type" = "general" }
    [vpc_cni]
    pod_security_groups = false
    [dns]
    hosted_zone_ids = ["Z0123456789ABCDEFGHIJ"]
    [addon_versions]
    coredns = "v1.13.2-eksbuild.11"
    [workloads.storage-service]
    namespace = "wealist-dev"
"""

import dataclasses
import os
import tomllib
import typing
from pathlib import Path

from wealist.config import (
    ClusterConfig,
    Config,
    DnsConfig,
    NodeGroupConfig,
    StateConfig,
    VpcCniConfig,
)
from wealist.errors import ConfigError
from wealist.workloads import DEFAULT_WORKLOADS, Workload

CONFIG_ENV_VAR = "WEALIST_CONFIG"
ENVIRONMENTS_DIR = Path(__file__).resolve().parent.parent / "environments"

_SECTIONS = {
    "state": StateConfig,
    "cluster": ClusterConfig,
    "node_group": NodeGroupConfig,
    "vpc_cni": VpcCniConfig,
    "dns": DnsConfig,
}
_TOP_LEVEL = ("project", "environment")
_WORKLOAD_FIELDS = ("namespace", "service_account")


def config_path_from_environment() -> Path | None:
    """The file WEALIST_CONFIG names: a path, or an environment in environments/."""
    value = os.environ.get(CONFIG_ENV_VAR, "").strip()
    if not value:
        return None
    if "/" in value or value.endswith(".toml"):
        return Path(value)
    return ENVIRONMENTS_DIR / f"{value}.toml"


def load_config(path: Path | None) -> Config:
    """Defaults when path is None, else the defaults changed by the file."""
    if path is None:
        return Config()
    return config_from_mapping(_read_toml(path))


def config_from_mapping(data: dict[str, typing.Any]) -> Config:
    """Build a Config from parsed TOML, rejecting unknown keys and wrong types."""
    allowed = sorted([*_TOP_LEVEL, *_SECTIONS, "addon_versions", "workloads"])
    arguments: dict[str, typing.Any] = {}
    for key, value in data.items():
        if key in _TOP_LEVEL:
            arguments[key] = _typed(key, value, str)
        elif key in _SECTIONS:
            arguments[key] = _section(key, value, _SECTIONS[key])
        elif key == "addon_versions":
            table = _typed(key, value, dict)
            arguments[key] = tuple(
                (name, _typed(f"{key}.{name}", version, str))
                for name, version in table.items()
            )
        elif key == "workloads":
            arguments[key] = _workloads(value)
        else:
            raise ConfigError(key, value, f"a known setting: {', '.join(allowed)}")
    return Config(**arguments)


def _read_toml(path: Path) -> dict[str, typing.Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except FileNotFoundError:
        raise ConfigError(
            CONFIG_ENV_VAR,
            str(path),
            "an existing TOML file, or the name of one in environments/ "
            f"({', '.join(sorted(p.stem for p in ENVIRONMENTS_DIR.glob('*.toml')))})",
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            CONFIG_ENV_VAR, str(path), "a TOML file, not a folder"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(CONFIG_ENV_VAR, str(path), f"valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise ConfigError(CONFIG_ENV_VAR, str(path), "a UTF-8 TOML file") from None


def _section(name: str, value: object, cls: type) -> object:
    table = _typed(name, value, dict)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    arguments = {}
    for key, item in table.items():
        if key not in fields:
            raise ConfigError(
                f"{name}.{key}", item, f"a setting of [{name}]: {', '.join(fields)}"
            )
        arguments[key] = _typed(f"{name}.{key}", item, hints[key])
    return cls(**arguments)


def _workloads(value: object) -> tuple[Workload, ...]:
    table = _typed("workloads", value, dict)
    by_key = {workload.key: workload for workload in DEFAULT_WORKLOADS}
    for key, changes in table.items():
        if key not in by_key:
            raise ConfigError(
                "workloads", key, f"a workload of the table: {', '.join(by_key)}"
            )
        changes = _typed(f"workloads.{key}", changes, dict)
        for field_name, field_value in changes.items():
            if field_name not in _WORKLOAD_FIELDS:
                raise ConfigError(
                    f"workloads.{key}.{field_name}",
                    field_value,
                    f"one of {', '.join(_WORKLOAD_FIELDS)}",
                )
            _typed(f"workloads.{key}.{field_name}", field_value, str)
        by_key[key] = dataclasses.replace(by_key[key], **changes)
    return tuple(by_key.values())


def _typed(setting: str, value: object, expected: typing.Any) -> typing.Any:
    """Check a parsed value against a field's annotation; tuples for lists."""
    origin = typing.get_origin(expected)
    if expected is bool:
        if not isinstance(value, bool):
            raise ConfigError(setting, value, "true or false")
        return value
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(setting, value, "a whole number")
        return value
    if expected is str:
        if not isinstance(value, str):
            raise ConfigError(setting, value, "a string (in quotes)")
        return value
    if expected is dict:
        if not isinstance(value, dict):
            raise ConfigError(setting, value, "a table")
        return value
    if origin is tuple:
        item_type, *rest = typing.get_args(expected)
        if typing.get_origin(item_type) is tuple:
            # Pairs such as labels are written as a TOML table of strings.
            if not isinstance(value, dict):
                raise ConfigError(setting, value, "a table of strings")
            return tuple(
                (key, _typed(f"{setting}.{key}", item, str))
                for key, item in value.items()
            )
        if not isinstance(value, list):
            raise ConfigError(setting, value, "a list")
        return tuple(_typed(setting, item, item_type) for item in value)
    raise TypeError(f"no reader for {setting}: {expected}")
