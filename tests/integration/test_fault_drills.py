"""Fault drills with real components: each drill starts its own redis-server on a free port,
its own Celery worker and relay (beat) processes, and its own aiosmtpd sink, on a PostgreSQL
schema of its own, with RETRY_SCHEDULE in seconds. The machine's own services are never
stopped."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from core import create_app
from core.extensions import db
from core.models import utcnow
from leads.models import Delivery, Dispatch, DispatchKind
from leads.webhooks import sign
from listings.business_time import business_today
from listings.models import Placement, PlacementStat
from tests import factories
from tests.leads.helpers import form_data, small_catalogue
from tests.mail_sink import MailSink
from tests.processes import celery_beat, celery_worker, redis_server, wait_until
from tests.services import free_port, postgres_schema, require_env

pytestmark = pytest.mark.integration


class Drill:
    """One drill's private world: PostgreSQL schema, redis-server, SMTP sink, processes."""

    def __init__(self, tmp_path, database_url: str, sink_delay: float = 0.0) -> None:
        self.tmp_path = tmp_path
        self.redis, self.redis_port = redis_server(tmp_path)
        self.sink = MailSink(delay=sink_delay).start()
        self.env = {
            "APP_ENV": "testing",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SITE_URL": "http://prospectus.test",
            "MAIL_PORT": str(self.sink.port),
            "MAIL_TIMEOUT": "2",
            "RETRY_SCHEDULE": "1,1,1,2,2,2,3,3,3,3,5,5",
            "DISPATCH_LEASE_SECONDS": "4",
            "RELAY_INTERVAL_SECONDS": "1",
            "RELAY_REQUEUE_AFTER_SECONDS": "8",
        }
        self.app = create_app(self.env, {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        with self.app.app_context():
            upgrade()
        self.processes = []

    def worker(self, **kwargs):
        process = celery_worker(self.env, self.tmp_path, **kwargs)
        self.processes.append(process)
        return process

    def relay(self, name: str = "beat"):
        process = celery_beat(self.env, self.tmp_path, name=name)
        self.processes.append(process)
        return process

    def close(self) -> None:
        for process in self.processes:
            process.stop()
        self.sink.stop()
        self.redis.stop()
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def dispatch_statuses(self) -> Counter:
        with self.app.app_context():
            return Counter(db.session.scalars(sa.select(Dispatch.status)))

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.log()[-2000:]}" for p in self.processes)


@pytest.fixture
def drill(tmp_path, request):
    marker = request.node.get_closest_marker("sink_delay")
    with postgres_schema(require_env("TEST_DATABASE_URL")) as url:
        require_env("TEST_REDIS_URL")  # CI provides Redis; the drill still runs its own server
        world = Drill(tmp_path, url, sink_delay=marker.args[0] if marker else 0.0)
        try:
            yield world
        finally:
            world.close()


def person(n: int) -> dict:
    """A distinct reader (de-duplication would otherwise fold repeats together)."""
    return {"email": f"reader{n}@example.com", "phone": f"(312) 2{n // 10000 % 100:02d}-{n % 10000:04d}"}


def submit(app, program_ids: list[int], n: int):
    client = app.test_client()
    started = time.monotonic()
    response = client.post(f"/request-info?program={program_ids[0]}", data=form_data(app, program_ids, **person(n)))
    return response.status_code, time.monotonic() - started


def assert_once_each(drill: Drill, expected: int) -> None:
    ids = drill.sink.message_ids()
    assert len(set(ids)) == expected, drill.logs()
    assert len(ids) == expected, Counter(ids).most_common(3)


def test_drill_1_broker_down_while_200_leads_arrive(drill):
    programs = small_catalogue(drill.app, schools=1)
    drill.redis.stop()
    results = [submit(drill.app, programs, n) for n in range(200)]
    assert all(status == 303 for status, _ in results)
    assert max(seconds for _, seconds in results) < 1.0, max(seconds for _, seconds in results)
    assert drill.dispatch_statuses() == Counter({"pending": 400})

    drill.redis, _ = redis_server(drill.tmp_path, port=drill.redis_port)
    drill.worker()
    drill.relay()
    wait_until(lambda: len(drill.sink.messages()) >= 400, 120, message="400 messages", interval=0.5)
    wait_until(lambda: drill.dispatch_statuses() == Counter({"sent": 400}), 30, message="all marked sent")
    time.sleep(2)  # a late duplicate would show up here
    assert_once_each(drill, 400)


@pytest.mark.sink_delay(0.05)
def test_drill_2_a_worker_killed_mid_burst(drill):
    programs = small_catalogue(drill.app, schools=3)
    first = drill.worker()
    for n in range(40):
        assert submit(drill.app, programs, n)[0] == 303
    expected = 40 * 4  # three schools and a receipt per lead
    wait_until(lambda: len(drill.sink.messages()) >= 20, 60, message="the burst under way")
    first.kill()
    received_at_kill = len(drill.sink.messages())
    assert received_at_kill < expected, "the worker finished before it could be killed"

    drill.worker(name="fresh-worker")
    drill.relay()
    wait_until(lambda: drill.dispatch_statuses() == Counter({"sent": expected}), 120,
               message=f"every dispatch sent ({drill.dispatch_statuses()})", interval=0.5)
    time.sleep(2)
    ids = drill.sink.message_ids()
    counts = Counter(ids)
    assert len(counts) == expected, drill.logs()  # nothing lost
    twice = [message_id for message_id, seen in counts.items() if seen > 1]
    # Seen twice only where the worker died after the SMTP server accepted the message
    # (at most one in flight per worker process), and then with the same Message-ID.
    assert all(seen <= 2 for seen in counts.values())
    assert len(twice) <= 2, twice


def test_drill_3_the_smtp_server_down_for_a_while(drill):
    programs = small_catalogue(drill.app, schools=2)
    drill.sink.stop()
    drill.worker()
    drill.relay()
    for n in range(10):
        assert submit(drill.app, programs, n)[0] == 303
    wait_until(lambda: drill.dispatch_statuses().get("failed", 0) >= 10, 30, message="failures recorded")
    time.sleep(3)
    with drill.app.app_context():
        assert db.session.scalar(sa.select(sa.func.max(Dispatch.attempts))) >= 2  # retried while down
    drill.sink.start()
    wait_until(lambda: drill.dispatch_statuses() == Counter({"sent": 30}), 90, message="all sent", interval=0.5)
    assert_once_each(drill, 30)


class _Webhook(BaseHTTPRequestHandler):
    answers: list[int] = []
    calls: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's hook name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.answers.pop(0) if self.answers else 200
        self.calls.append({"headers": dict(self.headers), "body": body, "status": status})
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _Webhook)
    _Webhook.answers, _Webhook.calls = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _Webhook
    server.shutdown()


def test_drill_4_webhook_500_then_200_and_400(drill, webhook):
    server, receiver = webhook
    url = f"http://127.0.0.1:{server.server_port}/leads"
    programs = small_catalogue(drill.app, schools=1, webhook_url=url)
    drill.worker()
    drill.relay()

    receiver.answers[:] = [500, 200]
    assert submit(drill.app, programs, 1)[0] == 303
    wait_until(lambda: drill.dispatch_statuses().get("sent") == 3, 60, message="e-mail, webhook, receipt sent")
    assert [call["status"] for call in receiver.calls] == [500, 200]
    first, second = receiver.calls
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]
    for call in receiver.calls:
        timestamp = int(call["headers"]["X-Prospectus-Timestamp"])
        assert call["headers"]["X-Prospectus-Signature"] == sign("s3cret", timestamp, call["body"])
        body = json.loads(call["body"])
        assert body["version"] == 1 and body["lead"]["email"] == "reader1@example.com"

    receiver.calls.clear()
    receiver.answers[:] = [400]
    assert submit(drill.app, programs, 2)[0] == 303
    wait_until(lambda: drill.dispatch_statuses().get("rejected") == 1, 60, message="webhook rejected")
    time.sleep(3)  # no retry follows a 400
    assert [call["status"] for call in receiver.calls] == [400]
    with drill.app.app_context():
        rejected = db.session.scalars(sa.select(Dispatch).where(Dispatch.status == "rejected")).one()
        assert rejected.kind == DispatchKind.SCHOOL_WEBHOOK and "HTTP 400" in rejected.last_error
        delivery = db.session.get(Delivery, rejected.delivery_id)
        assert delivery.status == "delivered"  # its e-mail went through: the channels are independent


def test_drill_5_two_workers_two_relays_500_dispatches(drill):
    from leads.intake import LeadRequest, store_lead
    from leads.matching import active_programs

    programs = small_catalogue(drill.app, schools=1)
    with drill.app.app_context():
        chosen = active_programs(programs)
        for n in range(250):  # 250 leads x (school e-mail + receipt); no hand-off: only the relays enqueue
            store_lead(db.session, LeadRequest(
                first_name="Ada", last_name="Race", email=person(n)["email"], phone=f"+1312{2000000 + n}",
                zip_code="60601", education_level="high_school", graduation_year=2015, programs=chosen,
            ))
        db.session.execute(sa.update(Dispatch).values(created_at=utcnow().replace(year=2020)))
        db.session.commit()
    drill.worker(name="worker-a")
    drill.worker(name="worker-b")
    drill.relay(name="relay-a")
    drill.relay(name="relay-b")
    wait_until(lambda: drill.dispatch_statuses() == Counter({"sent": 500}), 180, message="500 sent", interval=0.5)
    time.sleep(2)
    assert_once_each(drill, 500)


def test_drill_5_concurrent_leads_never_pass_a_daily_cap(drill):
    app = drill.app
    with app.app_context():
        category = factories.category()
        school = factories.school()
        program = factories.program(school, category)
        placement = factories.placement(school, category, today=business_today(), daily_cap=12, price_per_lead_cents=3000)
        db.session.add(PlacementStat(placement_id=placement.id, day=business_today(), leads=2, spend_cents=6000))
        db.session.commit()
        program_id, placement_id = program.id, placement.id

    statuses: list[int] = []
    barrier = threading.Barrier(50)

    def one(n: int) -> None:
        data = form_data(app, [program_id], **person(1000 + n))
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(f"/request-info?program={program_id}", data=data).status_code)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses.count(303) == 50, Counter(statuses)
    with app.app_context():
        billable = db.session.scalar(sa.select(sa.func.count()).where(Delivery.billable.is_(True)))
        assert billable == 10
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 50
        stat = db.session.scalars(sa.select(PlacementStat).where(PlacementStat.placement_id == placement_id)).one()
        assert (stat.leads, stat.spend_cents) == (12, 36000)
        assert db.session.get(Placement, placement_id).daily_cap == 12



