"""Which channel carries a dispatch: e-mail, or a signed HTTP POST to the school's webhook."""

from __future__ import annotations

from leads.models import Channel, Dispatch, DispatchKind


def send(dispatch: Dispatch) -> None:
    """Send `dispatch` once; raises on failure (PermanentFailure when retrying is pointless)."""
    if dispatch.channel == Channel.WEBHOOK:
        from leads.webhooks import post_webhook

        post_webhook(dispatch)
        return
    from leads.emails import COMPOSERS
    from leads.mailer import send_message

    send_message(COMPOSERS[DispatchKind(dispatch.kind)](dispatch))
