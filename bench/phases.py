"""Where the time of one dispatch and of one lead POST goes, measured in-process.

    .venv/bin/python -m bench.phases [--leads 200] [--posts 50] [--cprofile]

The same private world as bench.drain (PostgreSQL schema, redis-server, aiosmtpd sink) but
no worker: this process runs leads.dispatch.run_dispatch itself, one dispatch at a time,
each in its own app context as the Celery task class does, with a timer around each phase
and every SQL statement and commit counted against the phase that issued it. Then it posts
leads through the Flask test client with the same accounting. Times are exclusive: a phase
does not include the phases nested in it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import sqlalchemy as sa

from bench.drain import DEFAULT_DATABASE_URL, Bench


class Phases:
    """Exclusive wall time, SQL statements and commits per named phase."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.sql_seconds: Counter = Counter()
        self.statements: Counter = Counter()
        self.commits: Counter = Counter()
        self.by_statement: Counter = Counter()  # (phase, statement's opening) -> seconds
        self.statement_count: Counter = Counter()
        self.stack: list[list] = []  # [label, started, time spent in nested phases]
        self.undo: list = []

    def current(self) -> str:
        return self.stack[-1][0] if self.stack else "(outside any phase)"

    def wrap(self, owner, name, label: str) -> None:
        """Time calls of owner.name (owner[name] for a dict)."""
        if isinstance(owner, dict):
            get, put = owner.__getitem__, owner.__setitem__
            restore = lambda original: put(name, original)  # noqa: E731
        else:
            get, put = lambda key: getattr(owner, key), lambda key, value: setattr(owner, key, value)
            own = name in vars(owner)
            restore = (lambda original: setattr(owner, name, original)) if own else (lambda _: delattr(owner, name))
        original = get(name)

        def timed(*args, **kwargs):
            self.stack.append([label, time.perf_counter(), 0.0])
            try:
                return original(*args, **kwargs)
            finally:
                label_, started, nested = self.stack.pop()
                spent = time.perf_counter() - started
                self.seconds[label_] += spent - nested
                if self.stack:
                    self.stack[-1][2] += spent

        put(name, timed)
        self.undo.append(lambda: restore(original))

    def listen(self, engine) -> None:
        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info["bench_started"] = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            phase = self.current()
            spent = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
            self.statements[phase] += 1
            self.sql_seconds[phase] += spent
            key = (phase, " ".join(statement.split())[:110])
            self.by_statement[key] += spent
            self.statement_count[key] += 1

        def commit(conn):
            self.commits[self.current()] += 1

        for event, handler in (("before_cursor_execute", before), ("after_cursor_execute", after), ("commit", commit)):
            sa.event.listen(engine, event, handler)
            self.undo.append(lambda e=event, h=handler: sa.event.remove(engine, e, h))

    def clear(self) -> None:
        for counter in (
            self.seconds,
            self.sql_seconds,
            self.statements,
            self.commits,
            self.by_statement,
            self.statement_count,
        ):
            counter.clear()

    def slowest_statements(self, count: int, limit: int = 12) -> str:
        lines = [f"  slowest statements (per {count}): {'ms':>6} {'calls':>6}  phase / statement"]
        for (phase, text), seconds in self.by_statement.most_common(limit):
            lines.append(
                f"  {seconds / count * 1000:>36.2f} {self.statement_count[(phase, text)] / count:>6.1f}"
                f"  {phase}: {text}"
            )
        return "\n".join(lines)

    def restore(self) -> None:
        while self.undo:
            self.undo.pop()()

    def report(self, title: str, count: int, total: float) -> str:
        lines = [
            f"{title}: {count} in {total:.2f} s = {total / count * 1000:.1f} ms each",
            f"  {'phase':<34}{'ms each':>9}{'share':>7}{'stmts':>7}{'commits':>8}{'sql ms':>8}",
        ]
        named = sum(self.seconds.values())
        rows = list(self.seconds.items()) + [("(rest: framework, app context)", total - named)]
        for label, seconds in sorted(rows, key=lambda row: -row[1]):
            lines.append(
                f"  {label:<34}{seconds / count * 1000:>9.2f}{seconds / total * 100:>6.0f}%"
                f"{self.statements[label] / count:>7.1f}{self.commits[label] / count:>8.1f}"
                f"{self.sql_seconds[label] / count * 1000:>8.2f}"
            )
        lines.append(
            f"  {'total':<34}{total / count * 1000:>9.2f}{100:>6}%"
            f"{sum(self.statements.values()) / count:>7.1f}{sum(self.commits.values()) / count:>8.1f}"
            f"{sum(self.sql_seconds.values()) / count * 1000:>8.2f}"
        )
        return "\n".join(lines)


def top_functions(profiler: cProfile.Profile, limit: int = 30) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return out.getvalue()


def profile_dispatches(bench: Bench, lead_count: int, use_cprofile: bool) -> str:
    import leads.dispatch
    import leads.emails
    import leads.mailer
    import leads.senders
    from core.extensions import db

    dispatch_ids = bench.create_leads(lead_count)
    phases = Phases()
    phases.wrap(leads.dispatch, "_take", "claim (UPDATE ... RETURNING)")
    phases.wrap(leads.dispatch, "load_for_sending", "load_for_sending")
    phases.wrap(leads.senders, "send", "send (dispatch to a channel)")
    for kind in list(leads.emails.COMPOSERS):
        phases.wrap(leads.emails.COMPOSERS, kind, "compose (render templates)")
    phases.wrap(leads.mailer, "send_message", "SMTP (MIME, then MAIL/RCPT/DATA on a kept session)")
    phases.wrap(leads.dispatch, "mark_sent", "mark_sent (+ mark_delivered)")
    with bench.app.app_context():
        phases.listen(db.engine)
    profiler = cProfile.Profile() if use_cprofile else None
    try:
        # A few first, untimed: template compilation and imports happen once per process.
        for dispatch_id in dispatch_ids[:8]:
            with bench.app.app_context():
                leads.dispatch.run_dispatch(dispatch_id)
        phases.clear()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for dispatch_id in dispatch_ids[8:]:
            with bench.app.app_context():
                outcome = leads.dispatch.run_dispatch(dispatch_id)
            if outcome != "sent":
                raise RuntimeError(f"dispatch {dispatch_id}: {outcome}")
        if profiler:
            profiler.disable()
        total = time.perf_counter() - started
    finally:
        phases.restore()
    count = len(dispatch_ids) - 8
    report = phases.report("run_dispatch, in-process", count, total) + "\n" + phases.slowest_statements(count)
    return report + ("\n\n" + top_functions(profiler) if profiler else "")


def profile_posts(bench: Bench, posts: int, use_cprofile: bool) -> str:
    import leads.handoff
    import leads.intake
    import leads.routes
    from core.extensions import db
    from leads.forms import RequestInfoForm
    from tests.leads.helpers import form_data

    phases = Phases()
    phases.wrap(leads.routes, "program_or_none", "program_or_none")
    phases.wrap(RequestInfoForm, "validate", "form.validate")
    phases.wrap(leads.routes, "accept_lead", "accept_lead (commit)")
    phases.wrap(leads.intake, "store_lead", "store_lead (flush)")
    phases.wrap(leads.intake, "hand_off", "hand_off")
    phases.wrap(leads.handoff, "enqueue", "enqueue (send_task per id)")
    phases.wrap(leads.handoff, "mark_enqueued", "mark_enqueued (UPDATE, commit)")
    phases.wrap(leads.routes, "receipt_token", "receipt_token")
    with bench.app.app_context():
        phases.listen(db.engine)
    client = bench.app.test_client()
    url = f"/request-info?program={bench.program_ids[0]}"
    forms = [
        form_data(
            bench.app,
            bench.program_ids,
            email=f"post{i}@bench.example",
            phone=f"(312) 4{i // 10000 % 100:02d}-{i % 10000:04d}",
        )
        for i in range(posts + 3)
    ]
    profiler = cProfile.Profile() if use_cprofile else None
    try:
        for data in forms[:3]:  # warm-up
            assert client.post(url, data=data).status_code == 303
        phases.clear()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for data in forms[3:]:
            status = client.post(url, data=data).status_code
            if status != 303:
                raise RuntimeError(f"POST answered {status}")
        if profiler:
            profiler.disable()
        total = time.perf_counter() - started
    finally:
        phases.restore()
    report = phases.report("POST /request-info (3 schools), test client", posts, total)
    report += "\n" + phases.slowest_statements(posts)
    return report + ("\n\n" + top_functions(profiler) if profiler else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.phases", description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, default=200, help="leads whose dispatches run in-process (x4)")
    parser.add_argument("--posts", type=int, default=50, help="lead POSTs through the test client")
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top functions")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    args = parser.parse_args(argv)
    args.layout = "prefork"  # unused: no worker here
    log_dir = Path(tempfile.mkdtemp(prefix="prospectus-phases-"))
    try:
        with ExitStack() as stack:
            bench = Bench(args, stack, log_dir, workers=False)
            print(profile_dispatches(bench, args.leads, args.cprofile), flush=True)
            print()
            if args.posts:
                print(profile_posts(bench, args.posts, args.cprofile))
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
