"""`flask create-operator` and `flask set-password`."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask

from admin.models import Operator, Role
from admin.passwords import hash_password, password_problem
from core.extensions import db


def register_admin_commands(app: Flask) -> None:
    @app.cli.command("create-operator")
    @click.option("--email", required=True)
    @click.option("--password", required=True)
    @click.option("--role", type=click.Choice([role.value for role in Role]), default=Role.ADMIN.value)
    def create_operator(email: str, password: str, role: str) -> None:
        """Create a back-office operator."""
        email = email.strip().lower()
        if problem := password_problem(password):
            raise click.BadParameter(problem, param_hint="--password")
        if db.session.scalar(sa.select(Operator.id).where(Operator.email == email)):
            raise click.ClickException("An operator with that e-mail already exists.")
        db.session.add(Operator(email=email, password_hash=hash_password(password), role=role))
        db.session.commit()
        click.echo(f"Created {role} {email}.")

    @app.cli.command("set-password")
    @click.option("--email", required=True)
    @click.option("--password", required=True)
    def set_password(email: str, password: str) -> None:
        """Set an operator's password."""
        if problem := password_problem(password):
            raise click.BadParameter(problem, param_hint="--password")
        operator = db.session.scalar(sa.select(Operator).where(Operator.email == email.strip().lower()))
        if operator is None:
            raise click.ClickException("No operator with that e-mail.")
        operator.password_hash = hash_password(password)
        db.session.commit()
        click.echo(f"Password changed for {operator.email}.")
