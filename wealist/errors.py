"""The one error type a user sees for configuration mistakes."""


class ConfigError(ValueError):
    """A setting has a value the layer cannot be built with."""

    def __init__(self, setting: str, value: object, allowed: str) -> None:
        self.setting = setting
        self.value = value
        self.allowed = allowed
        super().__init__(f"{setting} = {value!r} is not valid: {allowed}")
