"""The reader-facing catalogue: categories, articles, schools, campuses, programs,
ZIP codes, sponsored placements and their daily counters."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import TimestampMixin, utcnow


class Level(enum.StrEnum):
    CERTIFICATE = "certificate"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def label(self) -> str:
        return {
            "certificate": "Certificate",
            "associate": "Associate degree",
            "bachelor": "Bachelor's degree",
            "master": "Master's degree",
            "doctorate": "Doctorate",
        }[self.value]


class DeliveryMode(enum.StrEnum):
    ONLINE = "online"
    CAMPUS = "campus"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return {"online": "Online", "campus": "On campus", "hybrid": "Hybrid"}[self.value]


class Control(enum.StrEnum):
    PUBLIC = "public"
    PRIVATE_NONPROFIT = "private nonprofit"
    PRIVATE_FOR_PROFIT = "private for-profit"


class Category(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Number of listed programs, maintained with their positions (listings/positions.py)
    # so a listing page never counts rows.
    listing_total: Mapped[int] = mapped_column(default=0)

    articles: Mapped[list[Article]] = relationship(back_populates="category", lazy="raise")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class ZipCode(db.Model):
    zip: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    city: Mapped[str] = mapped_column(sa.String(80))
    state: Mapped[str] = mapped_column(sa.String(2), index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]

    __table_args__ = (sa.Index("ix_zip_code_lat_lon", "latitude", "longitude"),)


article_related = sa.Table(
    "article_related",
    db.metadata,
    sa.Column("article_id", sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("related_id", sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
)


class Article(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    occupation: Mapped[str] = mapped_column(sa.String(200), default="")
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, sanitised on render
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), index=True)
    published: Mapped[bool] = mapped_column(default=False, index=True)
    featured: Mapped[bool] = mapped_column(default=False)

    # The facts table. Sourced figures are copied from the source, never estimated;
    # None means the source gives no single value and is shown as such.
    entry_education: Mapped[str | None] = mapped_column(sa.String(120))
    field_of_study: Mapped[str | None] = mapped_column(sa.String(200))
    key_skills: Mapped[str | None] = mapped_column(sa.String(300))
    certification: Mapped[str | None] = mapped_column(sa.String(300))
    work_experience: Mapped[str | None] = mapped_column(sa.String(120))
    training: Mapped[str | None] = mapped_column(sa.String(120))
    job_outlook_pct: Mapped[int | None]
    job_outlook_period: Mapped[str | None] = mapped_column(sa.String(20))
    jobs_count: Mapped[int | None]
    jobs_year: Mapped[int | None]
    median_pay_usd: Mapped[int | None]
    median_pay_year: Mapped[int | None]
    source_name: Mapped[str | None] = mapped_column(sa.String(200))
    source_url: Mapped[str | None] = mapped_column(sa.String(500))
    source_year: Mapped[str | None] = mapped_column(sa.String(20))

    category: Mapped[Category] = relationship(back_populates="articles", lazy="raise")
    related: Mapped[list[Article]] = relationship(
        secondary=article_related,
        primaryjoin=lambda: Article.id == article_related.c.article_id,
        secondaryjoin=lambda: Article.id == article_related.c.related_id,
        lazy="raise",
    )

    def __repr__(self) -> str:
        return f"<Article {self.slug}>"


class School(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), index=True)
    website: Mapped[str | None] = mapped_column(sa.String(300))
    control: Mapped[str] = mapped_column(sa.String(30), default=Control.PRIVATE_NONPROFIT.value)
    accreditor: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    active: Mapped[bool] = mapped_column(default=True, index=True)
    # One address per line; a lead e-mail goes once, to all of them.
    lead_recipients: Mapped[str] = mapped_column(sa.Text, default="")
    billing_email: Mapped[str | None] = mapped_column(sa.String(254))
    webhook_url: Mapped[str | None] = mapped_column(sa.String(500))
    webhook_secret: Mapped[str | None] = mapped_column(sa.String(128))

    campuses: Mapped[list[Campus]] = relationship(back_populates="school", lazy="raise", order_by="Campus.name")
    programs: Mapped[list[Program]] = relationship(back_populates="school", lazy="raise", order_by="Program.name")

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.lead_recipients.replace(",", "\n").splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<School {self.slug}>"


class Campus(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    city: Mapped[str] = mapped_column(sa.String(80))
    state: Mapped[str] = mapped_column(sa.String(2), index=True)
    zip_code: Mapped[str] = mapped_column(sa.String(5), index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]

    school: Mapped[School] = relationship(back_populates="campuses", lazy="raise")

    __table_args__ = (sa.Index("ix_campus_lat_lon", "latitude", "longitude"),)

    def __repr__(self) -> str:
        return f"<Campus {self.name}>"


class Program(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), index=True)
    campus_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campus.id", ondelete="SET NULL"), index=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[str] = mapped_column(sa.String(20), index=True)
    delivery: Mapped[str] = mapped_column(sa.String(20), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    tuition_usd: Mapped[int | None]  # per year, as published by the school
    length_months: Mapped[int | None]
    # 1-based place in its category's organic order, maintained by listings/positions.py;
    # None while the program is not listed (inactive, or its school is).
    listing_position: Mapped[int | None]
    # What text search looks in: program, school, field and place (or "Online"), kept in
    # step with them by listings/search_index.py. PostgreSQL indexes it for full-text search.
    search_text: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    school: Mapped[School] = relationship(back_populates="programs", lazy="raise")
    campus: Mapped[Campus | None] = relationship(lazy="raise")
    category: Mapped[Category] = relationship(lazy="raise")

    __table_args__ = (
        sa.Index("ix_program_category_position", "category_id", "listing_position"),
        sa.Index(
            "ix_program_search_text",
            sa.text("to_tsvector('english'::regconfig, search_text)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    @property
    def is_online(self) -> bool:
        return self.campus_id is None

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def delivery_label(self) -> str:
        return DeliveryMode(self.delivery).label

    def __repr__(self) -> str:
        return f"<Program {self.id} {self.name}>"


class Placement(TimestampMixin, db.Model):
    """A sponsored flight bought by a school. Its state is derived, never stored
    (listings/placement_state.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), index=True)
    program_id: Mapped[int | None] = mapped_column(sa.ForeignKey("program.id", ondelete="SET NULL"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    paused: Mapped[bool] = mapped_column(default=False)
    price_per_lead_cents: Mapped[int]  # also its bid in the rotation
    daily_cap: Mapped[int | None]  # leads per business day; None = no cap
    monthly_cap: Mapped[int | None]  # leads per calendar month in BUSINESS_TIMEZONE
    budget_cents: Mapped[int | None]  # total spend allowed over the flight

    school: Mapped[School] = relationship(lazy="raise")
    category: Mapped[Category] = relationship(lazy="raise")
    program: Mapped[Program | None] = relationship(lazy="raise")

    __table_args__ = (
        sa.CheckConstraint("price_per_lead_cents >= 0", name="price_not_negative"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )

    def __repr__(self) -> str:
        return f"<Placement {self.id} {self.name}>"


class PlacementStat(db.Model):
    """Daily counters of one placement (days in BUSINESS_TIMEZONE)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(sa.ForeignKey("placement.id", ondelete="CASCADE"))
    day: Mapped[date]
    impressions: Mapped[int] = mapped_column(default=0)
    clicks: Mapped[int] = mapped_column(default=0)
    leads: Mapped[int] = mapped_column(default=0)
    spend_cents: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("placement_id", "day", name="uq_placement_stat_placement_day"),
        sa.Index("ix_placement_stat_day", "day"),
    )
