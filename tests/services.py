"""Real services for integration tests. CI sets TEST_DATABASE_URL / TEST_REDIS_URL and a
missing service fails the run there; on a developer's machine without them, those tests skip."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
import sqlalchemy as sa

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_env(name: str) -> str:
    """The value of `name`; outside CI a missing one skips the test, under CI it fails it."""
    value = os.environ.get(name)
    if value:
        return value
    message = f"{name} is not set: this test needs the real service"
    if IN_CI:
        pytest.fail(message + " (CI must provide it)")
    pytest.skip(message)


def sqlalchemy_postgres_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards; yields a URL whose search_path is it,
    so tests never touch the public schema nor each other."""
    url = sqlalchemy_postgres_url(base_url)
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    parts = urlsplit(url)
    query = (parts.query + "&" if parts.query else "") + urlencode({"options": f"-csearch_path={schema}"})
    try:
        yield urlunsplit(parts._replace(query=query))
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
