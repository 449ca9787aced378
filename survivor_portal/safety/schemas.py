from typing import Literal

from ninja import Field, Schema

DisguiseKey = Literal["calculator", "weather", "notes", "plain"]
ExitChoice = Literal["default", "news", "search", "recipes"]


class SafetyOut(Schema):
    disguise: str
    exit_choice: str
    exit_url: str
    lock_when_hidden: bool
    has_pin: bool
    version: int


class SafetyIn(Schema):
    disguise: DisguiseKey
    exit_choice: ExitChoice = "default"
    lock_when_hidden: bool = False


class UnlockIn(Schema):
    secret: str = Field(max_length=1024)


class PinIn(Schema):
    pin: str = Field(max_length=8)
    pin_again: str = Field(max_length=8)
