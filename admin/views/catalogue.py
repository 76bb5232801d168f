"""Categories and career articles: the editors' desk (admins may use it too)."""

from __future__ import annotations

from flask import request
from flask_admin import expose
from flask_admin.form import rules
from markupsafe import Markup

from admin.access import EVERYONE
from admin.validators import check_slug
from admin.views.base import AdminModelView
from listings.markdown import render_markdown
from listings.models import Article, Category

FACTS = (
    "entry_education",
    "field_of_study",
    "key_skills",
    "certification",
    "work_experience",
    "training",
    "job_outlook_pct",
    "job_outlook_period",
    "jobs_count",
    "jobs_year",
    "median_pay_usd",
    "median_pay_year",
    "source_name",
    "source_url",
    "source_year",
)


class CategoryView(AdminModelView):
    roles = EVERYONE
    column_list = ("id", "name", "slug", "listing_total")
    column_labels = {"listing_total": "Listed programs"}
    column_searchable_list = ("name", "slug")
    column_sortable_list = ("id", "name", "slug", "listing_total")
    column_default_sort = "name"
    form_columns = ("name", "slug", "description")
    form_args = {"slug": {"validators": [check_slug]}}
    column_export_list = ("id", "name", "slug", "description", "listing_total")

    def __init__(self) -> None:
        super().__init__(Category, endpoint="category", name="Categories")


def _body_preview(view, context, model, name) -> Markup:
    return render_markdown(model.body)


class ArticleView(AdminModelView):
    roles = EVERYONE
    column_list = ("id", "title", "slug", "category.name", "published", "featured", "updated_at")
    column_select_related_list = (Article.category,)
    column_labels = {
        "category.name": "Category",
        "job_outlook_pct": "Job outlook (%)",
        "median_pay_usd": "Median pay (USD)",
        "body": "Body (Markdown)",
    }
    column_searchable_list = ("title", "slug", "occupation")
    column_sortable_list = ("id", "title", "slug", ("category.name", "category.name"), "published", "updated_at")
    column_filters = ("category.name", "published", "featured")
    column_default_sort = ("updated_at", True)
    column_details_list = (
        "id",
        "title",
        "slug",
        "occupation",
        "category.name",
        "published",
        "featured",
        "summary",
        "body",
        *FACTS,
        "created_at",
        "updated_at",
    )
    column_formatters_detail = {"body": _body_preview}
    column_export_list = (
        "id",
        "title",
        "slug",
        "occupation",
        "category.name",
        "published",
        "featured",
        "summary",
        *FACTS,
        "updated_at",
    )
    form_columns = (
        "title",
        "slug",
        "occupation",
        "category",
        "summary",
        "body",
        "published",
        "featured",
        "related",
        *FACTS,
    )
    form_rules = (
        rules.FieldSet(("title", "slug", "occupation", "category", "published", "featured"), "Article"),
        rules.FieldSet(("summary", "body", "related"), "Text"),
        rules.FieldSet(FACTS, "Facts (copy sourced figures; leave blank when the source gives no single value)"),
    )
    form_args = {
        "slug": {"validators": [check_slug]},
        "category": {"get_label": "name"},
        "related": {"get_label": "title"},
        "body": {"description": "Markdown. Headings start at ##. Anything beyond plain formatting is removed."},
    }
    form_widget_args = {"body": {"rows": 22}, "summary": {"rows": 3}}
    create_template = "admin/article_create.html"
    edit_template = "admin/article_edit.html"

    def __init__(self) -> None:
        super().__init__(Article, endpoint="article", name="Articles")

    @expose("/preview", methods=("POST",))
    def preview(self):
        """The body as readers will see it, from the unsaved form (opens in a new tab)."""
        return self.render(
            "admin/article_preview.html",
            title=request.form.get("title", ""),
            summary=request.form.get("summary", ""),
            body=render_markdown(request.form.get("body", "")),
        )
