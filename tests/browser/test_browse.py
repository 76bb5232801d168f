"""A reader opens an article, pages forward through its listings and opens a school."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_read_an_article_page_forward_and_open_a_school(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile("How can I become")).first.click()
    assert page.locator("[data-facts]").is_visible()
    # The organic items; the sponsored group above them is drawn again for every page.
    organic = page.locator("[data-organic] [data-listing]")
    assert organic.count() == 20
    first_page_ids = organic.evaluate_all("els => els.map(e => e.dataset.programId)")

    page.locator('nav[aria-label="Pagination"] a[rel="next"]').click()
    page.wait_for_url(re.compile(r"\?page=2$"))
    second_page_ids = organic.evaluate_all("els => els.map(e => e.dataset.programId)")
    assert second_page_ids and not set(first_page_ids) & set(second_page_ids)
    assert page.locator('nav[aria-label="Pagination"] a[rel="prev"]').count() == 1

    item = page.locator('[data-listing][data-sponsored="false"]').first
    school_name = item.locator('a[href^="/schools/"]').first.inner_text()
    item.locator('a[href^="/schools/"]').first.click()
    page.wait_for_url(re.compile(r"/schools/[a-z0-9-]+$"))
    assert page.get_by_role("heading", level=1).inner_text() == school_name
