"""Delivery benchmark: drain rate against a no-op task's rate, and submit-to-sink latency.

    .venv/bin/python -m bench.drain [--leads 1000] [--layout prefork|two] [--samples 100]

Everything runs in a private world started here and stopped on exit (Ctrl-C and failures
included): a redis-server on a free port, an aiosmtpd sink in this process, a fresh
PostgreSQL schema on BENCH_DATABASE_URL, and the Celery worker(s) started with
`-A bench.worker` (the real tasks plus `bench.noop`). See bench/README.md for the figures.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import redis
import sqlalchemy as sa

from tests.processes import wait_until

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CELERY = str(Path(sys.executable).with_name("celery"))
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
SCHOOLS = 3
MESSAGES_PER_LEAD = SCHOOLS + 1  # an e-mail per school and the reader's receipt
ENQUEUE_BATCH = 500
INHERITED_ENVIRONMENT = {"PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "VIRTUAL_ENV"}
CREATE_BATCH = 100


# --- processes -------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the bench itself is killed outright, so
    not even a `kill -9` of the bench leaves a worker or a redis-server behind."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


class Child:
    """A child process in its own process group, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        with open(self.log_path, "wb") as log:
            self.popen = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM the leader (Celery's warm shutdown stops its pool), then SIGKILL whatever
        of its process group is left, at once if the leader takes too long."""
        if self.running:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait(10)

    def tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


def start_redis(log_dir: Path) -> tuple[Child, int]:
    """A private redis-server on a free port, no persistence (never the machine's own)."""
    from tests.services import free_port

    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed")
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    child = Child(f"redis-{port}", argv, dict(os.environ), log_dir)
    client = redis.Redis(port=port, socket_connect_timeout=0.2)

    def pings() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    wait_until(pings, 10, message=f"redis-server on port {port}")
    return child, port


def start_workers(layout: str, env: dict[str, str], log_dir: Path) -> list[Child]:
    """Two worker processes: one prefork worker of concurrency 2 (the Procfile's worker
    line), or two workers of concurrency 1."""
    shape = [("worker", 2)] if layout == "prefork" else [("worker-a", 1), ("worker-b", 1)]
    return [
        Child(
            name,
            [
                CELERY,
                "-A",
                "bench.worker",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(n),
                "--hostname",
                f"{name}-{os.getpid()}@%h",
            ],
            env,
            log_dir,
        )
        for name, n in shape
    ]


# --- CPU accounting --------------------------------------------------------------------

WEB_APPLICATION_NAME = "prospectus-bench-web"
WORKER_APPLICATION_NAME = "prospectus-bench-worker"
_TICKS = os.sysconf("SC_CLK_TCK")


def with_application_name(url: str, name: str) -> str:
    """Tag a database URL's connections, so their PostgreSQL backends can be told apart."""
    return url + ("&" if "?" in url else "?") + f"application_name={name}"


def _stat(pid: int | str) -> tuple[int, float] | None:
    """(process group, CPU seconds used) of a live process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_of_groups(groups: set[int]) -> float:
    """CPU seconds of every live process in these process groups (a worker and its pool)."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            stat = _stat(entry.name)
            if stat and stat[0] in groups:
                total += stat[1]
    return total


def cpu_of_pids(pids) -> dict[int, float]:
    return {pid: stat[1] for pid in pids if (stat := _stat(pid))}


# --- measurements ----------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "min": round(min(ms), 1),
        "median": round(statistics.median(ms), 1),
        "p90": round(percentile(ms, 90), 1),
        "p99": round(percentile(ms, 99), 1),
        "max": round(max(ms), 1),
    }


class Bench:
    """The private world and the three measurements."""

    def __init__(self, args: argparse.Namespace, stack: ExitStack, log_dir: Path, workers: bool = True) -> None:
        from flask_migrate import upgrade

        from bench.sink import TimedSink
        from core import create_app
        from tests.leads.helpers import small_catalogue
        from tests.services import postgres_schema

        self.args = args
        self.log_dir = log_dir
        database_url = stack.enter_context(postgres_schema(args.database_url))

        self.redis_child, self.redis_port = start_redis(self.log_dir)
        stack.callback(self.redis_child.stop)
        self.redis = redis.Redis(port=self.redis_port)
        stack.callback(self.redis.close)

        # The sink is an instrument, not the system under test: no log line per connection.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.sink = TimedSink().start()
        stack.callback(self.sink.stop)

        redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        # Production settings (Redis for broker, rate limits and cache), as a deployment runs.
        self.env = {
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": with_application_name(database_url, WEB_APPLICATION_NAME),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "INSTANCE_PATH": str(self.log_dir / "instance"),
            "SITE_URL": "https://prospectus.bench",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(self.sink.port),
            "PYTHONUNBUFFERED": "1",
        }
        self.app = create_app(self.env, {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        stack.callback(self._dispose_app)
        with self.app.app_context():
            upgrade()
        self.program_ids = small_catalogue(self.app, schools=SCHOOLS)
        self.celery = self.app.extensions["celery"]

        # Only the process basics from this shell: a MAIL_USE_TLS or CELERY_TASK_QUEUE exported
        # here must not make the workers disagree with the app built above from self.env.
        child_env = {k: v for k, v in os.environ.items() if k in INHERITED_ENVIRONMENT}
        child_env.update(self.env)
        child_env["DATABASE_URL"] = with_application_name(database_url, WORKER_APPLICATION_NAME)
        self.workers = start_workers(args.layout, child_env, self.log_dir) if workers else []
        for worker in self.workers:
            stack.callback(worker.stop)

    def _dispose_app(self) -> None:
        from core.extensions import db

        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def check_workers(self) -> None:
        for worker in self.workers:
            if not worker.running:
                raise RuntimeError(f"{worker.name} exited:\n{worker.tail()}")

    def backends(self, application_name: str) -> list[int]:
        """Pids of the PostgreSQL backends serving one side (bench web or workers)."""
        from core.extensions import db

        with self.app.app_context():
            pids = list(
                db.session.scalars(
                    sa.text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
                    {"name": application_name},
                )
            )
            db.session.rollback()
        return pids

    def cpu_snapshot(self) -> dict:
        """CPU seconds so far of each process taking part (PostgreSQL backends by pid, as
        they come and go). Linux only; {} elsewhere."""
        if not Path("/proc/self/stat").exists():
            return {}
        own = os.times()
        return {
            "at": time.monotonic(),
            "workers": cpu_of_groups({worker.popen.pid for worker in self.workers}),
            "worker_db": cpu_of_pids(self.backends(WORKER_APPLICATION_NAME)),
            "web_db": cpu_of_pids(self.backends(WEB_APPLICATION_NAME)),
            "redis": cpu_of_pids([self.redis_child.popen.pid]).get(self.redis_child.popen.pid, 0.0),
            "bench": own.user + own.system,
        }

    def cpu_used(self, before: dict, count: int) -> dict:
        """CPU milliseconds per item (dispatch, task) of each party since `before`."""
        after = self.cpu_snapshot()
        if not before or not after:
            return {}

        def backends(key: str) -> float:
            return sum(seconds - before[key].get(pid, 0.0) for pid, seconds in after[key].items())

        used = {
            "workers": after["workers"] - before["workers"],  # Celery leaders and pool processes
            "postgres_for_workers": backends("worker_db"),
            "redis": after["redis"] - before["redis"],
            "bench_process": after["bench"] - before["bench"],  # the SMTP sink, enqueueing, polling
            "postgres_for_bench": backends("web_db"),
        }
        wall = after["at"] - before["at"]
        per_item = {name: round(seconds / count * 1000, 2) for name, seconds in used.items()}
        per_item["total"] = round(sum(used.values()) / count * 1000, 2)
        return {
            "cpu_ms_per_item": per_item,
            "cores_busy_with_the_bench": round(sum(used.values()) / wall, 2),
            "cores": os.cpu_count(),
        }

    def statuses(self) -> Counter:
        from core.extensions import db
        from leads.models import Dispatch

        with self.app.app_context():
            rows = db.session.execute(sa.select(Dispatch.status, sa.func.count()).group_by(Dispatch.status)).all()
            db.session.rollback()
            return Counter(dict(rows))

    # -- no-op ------------------------------------------------------------------------

    def noop_rate(self, count: int) -> dict:
        """Enqueue `count` no-op tasks by name and time until every one has run."""
        from bench.worker import NOOP_COUNTER, NOOP_TASK

        self.redis.delete(NOOP_COUNTER)
        cpu = self.cpu_snapshot()
        started = time.monotonic()
        for _ in range(count):
            self.celery.send_task(NOOP_TASK, retry=False)
        enqueued = time.monotonic()

        def done() -> bool:
            return int(self.redis.get(NOOP_COUNTER) or 0) >= count

        wait_until(done, timeout=max(60, count / 20), interval=0.005, message=f"{count} no-op tasks")
        finished = time.monotonic()
        seconds = finished - started
        return {
            "tasks": count,
            "enqueue_seconds": round(enqueued - started, 3),
            "seconds": round(seconds, 3),
            "per_second": round(count / seconds, 1),
            "cpu": self.cpu_used(cpu, count),
        }

    def warm_up(self) -> None:
        """Wait for the workers to take tasks (pool processes forked, connections open)."""
        from bench.worker import NOOP_COUNTER, NOOP_TASK

        self.redis.delete(NOOP_COUNTER)
        for _ in range(20):
            self.celery.send_task(NOOP_TASK, retry=False)
        deadline = time.monotonic() + 60
        while int(self.redis.get(NOOP_COUNTER) or 0) < 20:
            self.check_workers()
            if time.monotonic() > deadline:
                raise TimeoutError("the workers did not start: " + self.workers[0].tail())
            time.sleep(0.05)

    # -- drain ------------------------------------------------------------------------

    def create_leads(self, count: int) -> list[int]:
        """`count` 3-school leads by store_lead, committed in batches, NOT handed off."""
        from core.extensions import db
        from leads.intake import LeadRequest, store_lead
        from leads.matching import active_programs

        dispatch_ids: list[int] = []
        with self.app.app_context():
            for first in range(0, count, CREATE_BATCH):
                programs = active_programs(self.program_ids)
                for n in range(first, min(count, first + CREATE_BATCH)):
                    _lead, ids = store_lead(
                        db.session,
                        LeadRequest(
                            first_name="Ada",
                            last_name="Bench",
                            email=f"reader{n}@bench.example",
                            phone=f"+1312{2000000 + n}",
                            zip_code="60601",
                            education_level="high_school",
                            graduation_year=2015,
                            programs=programs,
                            start_timeframe="1_3_months",
                            military_affiliation="none",
                        ),
                    )
                    dispatch_ids.extend(ids)
                db.session.commit()
            # A fresh schema has no planner statistics (production tables have): without them
            # the de-duplication query of the latency run plans a nested loop of seq scans.
            db.session.execute(sa.text("ANALYZE lead, consent_record, delivery, dispatch"))
            db.session.commit()
        return dispatch_ids

    def drain(self, leads: int) -> dict:
        """Time from enqueueing every dispatch id until the sink holds every message."""
        from leads.handoff import enqueue

        dispatch_ids = self.create_leads(leads)
        expected = leads * MESSAGES_PER_LEAD
        if len(dispatch_ids) != expected:
            raise RuntimeError(f"{len(dispatch_ids)} dispatches created, {expected} expected")
        self.sink.clear()

        cpu = self.cpu_snapshot()
        started = time.monotonic()
        with self.app.app_context():
            for first in range(0, len(dispatch_ids), ENQUEUE_BATCH):
                batch = dispatch_ids[first : first + ENQUEUE_BATCH]
                if len(enqueue(batch)) != len(batch):
                    raise RuntimeError("the broker refused a dispatch")
        enqueued = time.monotonic()

        def all_arrived() -> bool:
            self.check_workers()
            return self.sink.count() >= expected

        wait_until(all_arrived, timeout=max(120, expected / 5), interval=0.1, message=f"{expected} messages")
        last_arrival = max(self.sink.arrivals().values())
        wait_until(
            lambda: self.statuses() == Counter({"sent": expected}), 60, interval=0.1, message="every dispatch marked sent"
        )
        marked = time.monotonic()
        cpu_used = self.cpu_used(cpu, expected)

        message_ids = [m["Message-ID"] for m in self.sink.messages()]
        seconds = last_arrival - started
        return {
            "leads": leads,
            "dispatches": expected,
            "messages_received": len(message_ids),
            "distinct_message_ids": len(set(message_ids)),
            "enqueue_seconds": round(enqueued - started, 3),
            "seconds": round(seconds, 3),
            "per_second": round(expected / seconds, 1),
            "all_marked_sent_within_seconds": round(marked - started, 3),
            "cpu": cpu_used,
        }

    # -- latency ----------------------------------------------------------------------

    def latency(self, samples: int, gap: float) -> dict:
        """Submit leads one at a time through the web path; time POST start -> each arrival."""
        from tests.leads.helpers import form_data

        client = self.app.test_client()
        school_latency: list[float] = []
        last_school_latency: list[float] = []
        receipt_latency: list[float] = []
        post_seconds: list[float] = []
        url = f"/request-info?program={self.program_ids[0]}"
        for i in range(samples):
            email = f"latency{i}@bench.example"
            data = form_data(
                self.app, self.program_ids, email=email, phone=f"(312) 3{i // 10000 % 100:02d}-{i % 10000:04d}"
            )
            # Idle: nothing in flight, then a pause so the worker is back waiting on Redis.
            wait_until(lambda: set(self.statuses()) <= {"sent"}, 30, interval=0.02, message="an idle queue")
            time.sleep(gap)
            before = self.sink.count()
            started = time.monotonic()
            response = client.post(url, data=data)
            post_seconds.append(time.monotonic() - started)
            if response.status_code != 303:
                raise RuntimeError(f"POST answered {response.status_code}")

            def arrived(expected: int = before + MESSAGES_PER_LEAD) -> bool:
                self.check_workers()
                return self.sink.count() >= expected

            wait_until(arrived, 30, interval=0.005, message=f"the messages of latency sample {i}")
            arrivals = self.sink.arrivals()
            mine = self.sink.messages()[before:]
            schools = [arrivals[m["Message-ID"]] - started for m in mine if m["To"] != email]
            receipts = [arrivals[m["Message-ID"]] - started for m in mine if m["To"] == email]
            if len(schools) != SCHOOLS or len(receipts) != 1:
                raise RuntimeError(f"sample {i}: {len(schools)} school e-mails and {len(receipts)} receipts")
            school_latency.extend(schools)
            last_school_latency.append(max(schools))
            receipt_latency.extend(receipts)
        return {
            "leads": samples,
            "gap_seconds": gap,
            "school_message_ms": summary_ms(school_latency),
            "last_school_message_of_a_lead_ms": summary_ms(last_school_latency),
            "receipt_ms": summary_ms(receipt_latency),
            "post_response_ms": summary_ms(post_seconds),
        }


# --- the run ---------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def server_versions(bench: Bench) -> dict:
    from core.extensions import db

    with bench.app.app_context():
        postgres = db.session.scalar(sa.text("SHOW server_version"))
        db.session.rollback()
    return {"postgresql": postgres, "redis": bench.redis.info("server").get("redis_version")}


def source_tree() -> dict:
    """Which code was measured: the commit, and how many files differ from it."""

    def git(*argv: str) -> str:
        try:
            return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_files": len(git("status", "--porcelain").splitlines()),
    }


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run(args: argparse.Namespace, log_dir: Path) -> dict:
    results: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_tree(),
        "layout": (
            "one worker, prefork --concurrency 2" if args.layout == "prefork" else "two workers, --concurrency 1 each"
        ),
        "load_at_start": load(),
    }
    with ExitStack() as stack:
        bench = Bench(args, stack, log_dir)
        results["servers"] = server_versions(bench)
        bench.warm_up()
        noops = args.noops or args.leads * MESSAGES_PER_LEAD
        print(f"no-op tasks ({noops}) ...", flush=True)
        results["noop_before"] = bench.noop_rate(noops)
        results["load_after_noop_before"] = load()
        print(f"drain ({args.leads} leads x {SCHOOLS} schools) ...", flush=True)
        results["drain"] = bench.drain(args.leads)
        results["load_after_drain"] = load()
        print(f"no-op tasks again ({noops}) ...", flush=True)
        results["noop_after"] = bench.noop_rate(noops)
        noop_rate = (results["noop_before"]["per_second"] + results["noop_after"]["per_second"]) / 2
        results["noop_per_second_mean"] = round(noop_rate, 1)
        results["ratio"] = round(results["drain"]["per_second"] / noop_rate, 3)
        if args.samples:
            print(f"latency ({args.samples} leads through POST /request-info) ...", flush=True)
            results["latency"] = bench.latency(args.samples, args.gap)
        results["load_at_end"] = load()
    return results


def table(results: dict) -> str:
    drain, before, after = results["drain"], results["noop_before"], results["noop_after"]
    rows = [
        ("layout", results["layout"]),
        ("load avg (start / end)", f"{results['load_at_start']} / {results['load_at_end']}"),
        ("no-op tasks/s (before, after)", f"{before['per_second']:.0f}, {after['per_second']:.0f}"),
        (
            f"dispatches/s ({drain['dispatches']} dispatches)",
            f"{drain['per_second']:.0f}"
            f"  ({drain['seconds']:.1f} s; all marked sent at {drain['all_marked_sent_within_seconds']:.1f} s)",
        ),
        ("ratio dispatches/s : no-op/s", f"{results['ratio'] * 100:.0f}%  (target >= 50%)"),
    ]
    for label, part in (("CPU ms per dispatch", drain), ("CPU ms per no-op task", before)):
        cpu = part.get("cpu")
        if cpu:
            rows.append(
                (
                    label,
                    "  ".join(f"{name} {ms:.1f}" for name, ms in cpu["cpu_ms_per_item"].items())
                    + f"  ({cpu['cores_busy_with_the_bench']:.2f} of {cpu['cores']} cores busy)",
                )
            )
    if "latency" in results:
        school = results["latency"]["school_message_ms"]
        last = results["latency"]["last_school_message_of_a_lead_ms"]
        receipt = results["latency"]["receipt_ms"]
        post = results["latency"]["post_response_ms"]
        rows += [
            (
                f"submit->sink, school e-mail (n={school['n']})",
                f"median {school['median']:.0f} ms, p99 {school['p99']:.0f} ms  (target median < 250 ms)",
            ),
            ("submit->sink, a lead's last school e-mail", f"median {last['median']:.0f} ms, p99 {last['p99']:.0f} ms"),
            ("submit->sink, reader receipt", f"median {receipt['median']:.0f} ms, p99 {receipt['p99']:.0f} ms"),
            ("POST /request-info response", f"median {post['median']:.0f} ms, p99 {post['p99']:.0f} ms"),
        ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.drain", description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=1000, help="leads to drain, 3 schools each (default 1000)")
    parser.add_argument(
        "--noops", type=int, default=0, help="no-op tasks per no-op run (default: as many as dispatches)"
    )
    parser.add_argument(
        "--layout",
        choices=("prefork", "two"),
        default="prefork",
        help="prefork: one worker --concurrency 2 (default); two: two workers --concurrency 1",
    )
    parser.add_argument("--samples", type=int, default=100, help="latency samples, one lead each (0: skip)")
    parser.add_argument("--gap", type=float, default=0.3, help="idle seconds before each latency sample")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--keep-logs", action="store_true", help="keep the worker and redis logs")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/<timestamp>.json")
    return parser.parse_args(argv)


def _terminate(signum, _frame):
    # SIGTERM unwinds like Ctrl-C, so every process started here is stopped.
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with SIGINT ignored
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    log_dir = Path(tempfile.mkdtemp(prefix="prospectus-bench-"))
    try:
        results = run(args, log_dir)
    except KeyboardInterrupt:
        print(f"interrupted; every process started was stopped (logs: {log_dir})", file=sys.stderr)
        return 130
    except Exception:
        print(f"failed; every process started was stopped (logs: {log_dir})", file=sys.stderr)
        raise
    if args.keep_logs:
        print(f"logs: {log_dir}")
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
    print()
    print(table(results))
    if not args.no_save:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / (datetime.now().strftime("%Y%m%d-%H%M%S") + ".json")
        path.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nresults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
