"""Reader pages of a request: the form, the thank-you page, the receipt and withdrawal.
Thin: parse, call a service, render."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy.exc import SQLAlchemyError

from core.extensions import csrf, limiter
from leads import bp
from leads.consent import CONSENT_TEMPLATES, CONSENT_VERSION, consent_text
from leads.errors import ActionRefused
from leads.fill_time import issue_started_token
from leads.forms import RequestInfoForm
from leads.intake import LeadRequest, accept_lead
from leads.lost_links import ReceiptLinksForm, send_receipt_links
from leads.matching import active_programs, program_or_none, school_names, similar_programs
from leads.models import LeadStatus
from leads.receipts import lead_for_receipt, receipt_token
from leads.withdrawal import withdraw_lead
from listings.impressions import count_shown
from listings.sponsorship import read_placement_token, sponsored_programs

log = logging.getLogger(__name__)

UTM_KEYS = ("source", "medium", "campaign", "term", "content")


def lead_rate_limit() -> str:
    return current_app.config["LEAD_RATE_LIMIT"]


def _decoy_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="request-info-decoy")


def _article_slug(referrer: str | None) -> str | None:
    """The career article the reader came from, when they came from one of ours."""
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.path.startswith("/careers/") and parts.path.count("/") == 2:
        return parts.path.rsplit("/", 1)[1] or None
    return None


def _form_page(form: RequestInfoForm, chosen, status: int = 200, message: str | None = None):
    """Render the form around the chosen program, its similar programs and the consent text."""
    options = [chosen, *similar_programs(chosen)]
    # Programs ticked on a previous try that are not among today's options stay offered.
    ticked = [int(v) for v in (form.program_ids.data or []) if str(v).isdigit() and len(str(v)) < 10]
    known = {p.id for p in options}
    options += active_programs([i for i in ticked if i not in known])[:4]
    paid = sponsored_programs(options)
    count_shown(paid.values())  # a paid item shown here is an impression like any other
    ticked_ids = set(ticked) if request.method == "POST" else {chosen.id}
    ticked_names = [p.school.name for p in options if p.id in ticked_ids]
    return (
        render_template(
            "leads/request_info.html",
            form=form,
            chosen=chosen,
            options=options,
            paid=paid,
            ticked_ids=ticked_ids,
            consent_preview=consent_text(ticked_names or ["the schools you tick"]),
            consent_template=CONSENT_TEMPLATES[CONSENT_VERSION],
            message=message,
        ),
        status,
    )


@bp.route("/request-info", methods=["GET", "POST"])
@limiter.limit(lead_rate_limit, methods=["POST"])
@csrf.exempt  # the form checks its own token, so an expired one re-shows the form with its values
def request_info():
    chosen = program_or_none(request.args.get("program"))
    if chosen is None:
        abort(404, description="That program is not open for inquiries. Choose another from the career guides.")
    form = RequestInfoForm()
    if request.method == "GET":
        form.program_ids.data = [str(chosen.id)]
        form.started.data = issue_started_token()
        placement = request.args.get("placement", "")
        form.placement.data = placement if read_placement_token(placement) else ""
        form.referrer.data = (request.referrer or "")[:1000]
        for key in UTM_KEYS:
            getattr(form, f"utm_{key}").data = request.args.get(f"utm_{key}", "")[:200]
        return _form_page(form, chosen)

    if not form.validate():
        if "csrf_token" in form.errors:
            return _form_page(
                form, chosen, 400, "This form expired before it was sent. Check your details and send it again."
            )
        return _form_page(form, chosen, 422)

    # Checked after validation: a person who sends the form too soon, half-filled, is
    # shown what is missing; only a complete submission can be a bot's.
    if form.is_bot_trap_sprung():
        log.info("request-info: bot trap sprung; nothing stored")
        schools = list(dict.fromkeys(p.school_id for p in form.clean["programs"]))
        return redirect(url_for("leads.thanks", token=_decoy_serializer().dumps({"schools": schools})), code=303)
    claim = read_placement_token(form.placement.data or "")
    clean = form.clean
    lead_request = LeadRequest(
        first_name=clean["first_name"],
        last_name=clean["last_name"],
        email=clean["email"],
        phone=clean["phone"],
        zip_code=clean["zip_code"],
        education_level=clean["education_level"],
        graduation_year=clean["graduation_year"],
        start_timeframe=clean["start_timeframe"],
        military_affiliation=clean["military_affiliation"],
        programs=clean["programs"],
        placement_id=claim.placement_id if claim else None,
        article_slug=_article_slug(form.referrer.data),
        page_url=request.url,
        referrer=form.referrer.data or None,
        utm={key: getattr(form, f"utm_{key}").data for key in UTM_KEYS if getattr(form, f"utm_{key}").data},
        ip=request.remote_addr,
        user_agent=request.user_agent.string,
    )
    try:
        lead = accept_lead(lead_request)
    except SQLAlchemyError:
        log.exception("request-info: the lead could not be stored; rolled back")
        return render_template("leads/save_failed.html"), 503
    return redirect(url_for("leads.thanks", token=receipt_token(lead)), code=303)


@bp.get("/request-info/thanks/<token>")
def thanks(token: str):
    lead = lead_for_receipt(token)
    if lead is not None:
        names = [d.school.name for d in lead.deliveries]
        return render_template("leads/thanks.html", school_names=names, receipt_link=url_for("leads.receipt", token=token))
    try:
        decoy = _decoy_serializer().loads(token)
    except BadData:
        abort(404)
    # What a bot sees: the same page, and nothing was stored.
    names = school_names([int(i) for i in decoy.get("schools", []) if isinstance(i, int)][:5])
    return render_template("leads/thanks.html", school_names=names, receipt_link=url_for("leads.receipt", token=token))


@bp.get("/receipt/<token>")
def receipt(token: str):
    lead = lead_for_receipt(token)
    if lead is None:
        abort(404)
    return render_template("leads/receipt.html", lead=lead, token=token, withdrawn=lead.status != LeadStatus.ACTIVE)


@bp.route("/receipt/<token>/withdraw", methods=["GET", "POST"])
def withdraw(token: str):
    lead = lead_for_receipt(token)
    if lead is None:
        abort(404)
    if request.method == "GET":
        return render_template("leads/withdraw_confirm.html", lead=lead, token=token)
    try:
        withdraw_lead(lead.id, reason="the reader withdrew consent")
    except ActionRefused as refused:
        flash(refused.message, "warning")
    else:
        flash("Your consent is withdrawn and your details are deleted. Schools that already had your request are being told.", "success")
    return redirect(url_for("leads.receipt", token=token), code=303)


@bp.route("/privacy/receipts", methods=["GET", "POST"])
@limiter.limit(lead_rate_limit, methods=["POST"])
def receipt_links():
    form = ReceiptLinksForm()
    if form.validate_on_submit():
        send_receipt_links(form.email.data)
        flash("If we have requests from that address, we have e-mailed links to their receipts.", "success")
        return redirect(url_for("leads.receipt_links"), code=303)
    return render_template("leads/receipt_links.html", form=form), 422 if form.errors else 200
