"""Real Celery workers, beat, redis-server and SMTP processes for integration tests."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.services import free_port

ROOT = Path(__file__).resolve().parent.parent
CELERY = str(Path(sys.executable).with_name("celery"))


def wait_until(predicate: Callable[[], object], timeout: float = 30.0, interval: float = 0.1, message: str = ""):
    """Poll `predicate` until it returns something truthy; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message or predicate}")
        time.sleep(interval)


class Process:
    """A child process with its output kept in a log file, stopped (or killed) on demand."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_dir / f"{name}-{time.monotonic_ns()}.log"
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        log = open(self.log_path, "wb")  # noqa: SIM115 (closed with the process)
        self.popen = subprocess.Popen(
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole process group: no goodbye, no ack — a crash."""
        if self.running:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def stop(self, timeout: float = 15) -> None:
        if not self.running:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def app_environ(base: dict[str, str]) -> dict[str, str]:
    """The environment a child process of the app runs with."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "COV"))}
    env.update({"APP_ENV": "testing", "PYTHONUNBUFFERED": "1"})
    env.update(base)
    return env


def celery_worker(env: dict[str, str], log_dir: Path, name: str = "worker", concurrency: int = 2) -> Process:
    argv = [CELERY, "-A", "tasks.worker", "worker", "--loglevel", "INFO", "--concurrency", str(concurrency),
            "--hostname", f"{name}-{time.monotonic_ns()}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat"]
    return Process(name, argv, app_environ(env), log_dir).start()


def celery_beat(env: dict[str, str], log_dir: Path, name: str = "beat") -> Process:
    schedule = log_dir / f"{name}-{time.monotonic_ns()}-schedule"
    argv = [CELERY, "-A", "tasks.worker", "beat", "--loglevel", "INFO", "--schedule", str(schedule)]
    return Process(name, argv, app_environ(env), log_dir).start()


def redis_server(log_dir: Path, port: int | None = None) -> tuple[Process, int]:
    """A private redis-server on a free port (never the machine's own)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise AssertionError("redis-server is not installed")
    port = port or free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = Process(f"redis-{port}", argv, dict(os.environ), log_dir).start()
    import redis

    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    wait_until(lambda: _pings(client), 10, message=f"redis-server on {port}")
    return process, port


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False
