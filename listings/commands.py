"""CLI commands of the catalogue."""

from flask import Flask


def register_listing_commands(app: Flask) -> None:
    pass
