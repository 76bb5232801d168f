"""Catalogue queries: each page loads what it shows in a constant number of statements."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, raiseload, selectinload

from core.extensions import db
from listings.models import Article, Campus, Category, Program, School
from listings.pagination import Page


def listing_options() -> tuple:
    """What a listing item shows, loaded with it; anything else fails loudly."""
    return (
        joinedload(Program.school).raiseload("*"),
        joinedload(Program.campus).raiseload("*"),
        raiseload("*"),
    )


def categories() -> list[Category]:
    return list(db.session.scalars(sa.select(Category).order_by(Category.name)))


def published_articles_by_category() -> list[tuple[Category, list[Article]]]:
    """Every category with its published articles, for the careers index (two statements)."""
    articles = db.session.scalars(
        sa.select(Article).where(Article.published.is_(True)).order_by(Article.title).options(raiseload("*"))
    ).all()
    by_category: dict[int, list[Article]] = {}
    for article in articles:
        by_category.setdefault(article.category_id, []).append(article)
    return [(category, by_category.get(category.id, [])) for category in categories()]


def featured_articles(limit: int = 6) -> list[Article]:
    return list(
        db.session.scalars(
            sa.select(Article)
            .where(Article.published.is_(True))
            .order_by(Article.featured.desc(), Article.title)
            .limit(limit)
            .options(joinedload(Article.category), raiseload("*"))
        )
    )


def category_or_404(slug: str) -> Category:
    category = db.session.scalar(sa.select(Category).where(Category.slug == slug).options(raiseload("*")))
    if category is None:
        abort(404)
    return category


def published_articles_of(category: Category) -> list[Article]:
    return list(
        db.session.scalars(
            sa.select(Article)
            .where(Article.category_id == category.id, Article.published.is_(True))
            .order_by(Article.title)
            .options(raiseload("*"))
        )
    )


def published_article_or_404(slug: str) -> Article:
    article = db.session.scalar(
        sa.select(Article)
        .where(Article.slug == slug, Article.published.is_(True))
        .options(
            joinedload(Article.category),
            selectinload(Article.related).raiseload("*"),
            raiseload("*"),
        )
    )
    if article is None:
        abort(404)
    return article


def category_page(category: Category, number: int, per_page: int) -> Page:
    """Page `number` of the category's organic listing: a range scan on the maintained
    position (index category_id, listing_position) and the maintained total."""
    first = (number - 1) * per_page + 1
    programs = db.session.scalars(
        sa.select(Program)
        .where(
            Program.category_id == category.id,
            Program.listing_position.between(first, first + per_page - 1),
        )
        .order_by(Program.listing_position)
        .options(*listing_options())
    ).all()
    return Page(items=list(programs), number=number, per_page=per_page, total=category.listing_total)


def school_or_404(slug: str) -> School:
    school = db.session.scalar(
        sa.select(School)
        .where(School.slug == slug, School.active.is_(True))
        .options(selectinload(School.campuses).raiseload("*"), raiseload("*"))
    )
    if school is None:
        abort(404)
    return school


def school_programs(school: School) -> list[Program]:
    """The school's active programs, grouped by the template by category."""
    return list(
        db.session.scalars(
            sa.select(Program)
            .where(Program.school_id == school.id, Program.active.is_(True))
            .join(Category, Category.id == Program.category_id)
            .order_by(Category.name, Program.name)
            .options(*listing_options(), joinedload(Program.category).raiseload("*"))
        ).unique()
    )


def campus_count(school_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Campus.school_id, sa.func.count()).where(Campus.school_id.in_(school_ids)).group_by(Campus.school_id)
    )
    return dict(rows.all())
