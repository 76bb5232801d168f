"""A reader asks two schools for information, watching the consent text follow the ticks."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.app_config(LEAD_MIN_FILL_SECONDS=1)
def test_fill_the_form_for_two_schools_and_open_the_receipt(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile("How can I become")).first.click()
    page.locator('[data-listing][data-sponsored="false"] a', has_text="Request information").first.click()
    page.wait_for_url(re.compile(r"/request-info\?program=\d+"))
    form = page.locator("[data-request-info]")
    boxes = form.locator('input[name="program_ids"]')
    assert boxes.count() >= 2
    first_school = boxes.nth(0).get_attribute("data-school-name")
    second_school = boxes.nth(1).get_attribute("data-school-name")
    consent = page.locator("#consent-text")
    assert first_school in consent.inner_text() and second_school not in consent.inner_text()
    assert not page.locator('input[name="consent"]').is_checked()

    boxes.nth(1).check()
    assert f"{first_school} and {second_school}" in consent.inner_text()

    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("E-mail").fill("grace@example.com")
    page.get_by_label("Phone").fill("(212) 555-0190")
    page.get_by_label("ZIP code").fill("10001")
    page.get_by_label("High school graduation year").fill("2012")
    page.get_by_label("Highest education completed").select_option("some_college")
    page.locator('input[name="consent"]').check()
    page.wait_for_timeout(1100)  # a person takes longer than the bot threshold
    page.get_by_role("button", name="Send my request").click()

    page.wait_for_url(re.compile(r"/request-info/thanks/"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Thank you")
    body = page.locator("main").inner_text()
    assert first_school in body and second_school in body

    page.get_by_role("link", name="See your receipt").click()
    page.wait_for_url(re.compile(r"/receipt/"))
    table = page.locator("table").inner_text()
    assert first_school in table and second_school in table
    assert page.get_by_role("link", name="Withdraw consent and delete my details").is_visible()


def test_errors_are_summarised_and_focused(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile("How can I become")).first.click()
    page.locator("[data-listing] a", has_text="Request information").first.click()
    page.wait_for_url(re.compile(r"/request-info\?program=\d+"))
    page.get_by_role("button", name="Send my request").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    assert "Enter your first name." in summary.inner_text()
    described = page.get_by_label("First name").get_attribute("aria-describedby")
    assert "first_name-error" in described
