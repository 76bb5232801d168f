"""CLI commands of the catalogue."""

import click
from flask import Flask

from core.extensions import db
from listings.demo import seed_demo


def register_listing_commands(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Create or refresh the demo catalogue, articles and placements (safe to re-run)."""
        counts = seed_demo(db.session)
        db.session.commit()
        created = counts.pop("created")
        summary = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
        click.echo(f"Demo data in place: {summary} ({created} rows created).")
