"""Errors a service raises for a caller to show, never a 500."""


class ActionRefused(Exception):
    """An operator or reader action that is not allowed in the current state; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
