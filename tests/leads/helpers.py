"""Building request-form submissions in tests."""

from __future__ import annotations

import time

import sqlalchemy as sa

from core.extensions import db
from leads.fill_time import issue_started_token
from tests import factories


def form_data(app, program_ids: list[int], **overrides) -> dict:
    """A valid submission for `program_ids`, as the browser would send it."""
    with app.app_context():
        started = issue_started_token(now=time.time() - 10)
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "phone": "(312) 555-0142",
        "zip_code": "60601",
        "education_level": "high_school",
        "graduation_year": "2015",
        "start_timeframe": "1_3_months",
        "military_affiliation": "none",
        "program_ids": [str(i) for i in program_ids],
        "consent": "y",
        "started": started,
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def small_catalogue(app, schools: int = 3, webhook_url: str | None = None) -> list[int]:
    """A category, `schools` schools each with one certificate program (the first on a
    Chicago campus); returns the program ids."""
    with app.app_context():
        category = factories.category(name="Healthcare")
        ids = []
        for n in range(schools):
            school = factories.school(
                name=f"School {chr(65 + n)}",
                lead_recipients=f"a@s{n}.example.org\nb@s{n}.example.org\nc@s{n}.example.org",
                webhook_url=webhook_url,
                webhook_secret="s3cret" if webhook_url else None,
            )
            campus = factories.campus(school, "60601") if n == 0 else None
            ids.append(factories.program(school, category, campus, name=f"Medical Coding {n}").id)
        db.session.commit()
        return ids


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))
