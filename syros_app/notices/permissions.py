"""Who may do what with notices, as data: administrators write, publish, withdraw and
watch deliveries;
anyone — logged in or not — subscribes, confirms and unsubscribes (the token, code or
push endpoint is the proof, not an account); residents manage their own list."""

from __future__ import annotations

from syros_app.core.actions import RoleMatrix
from syros_app.core.actors import Role

ADMINISTRATORS = [Role.ADMINISTRATOR]

MATRIX = RoleMatrix(
    "notices",
    {
        "publish_notice": ADMINISTRATORS,
        "withdraw_notice": ADMINISTRATORS,  # with a public correction, sent to the same people
        "view_deliveries": ADMINISTRATORS,  # the staff board: delivery counts and failures
        "save_push_subscription": [Role.VISITOR],
        "remove_push_subscription": [Role.VISITOR],
        "subscribe_email": [Role.VISITOR],
        "confirm_email": [Role.VISITOR],
        "subscribe_sms": [Role.VISITOR],
        "confirm_sms": [Role.VISITOR],
        "unsubscribe": [Role.VISITOR],
        "remove_my_subscription": [Role.RESIDENT],
        # a staff person's own choice of "work has arrived" alerts (staff_alerts.KINDS)
        "set_staff_alerts": [Role.MODERATOR, Role.DEPARTMENT_OFFICER, Role.ADMINISTRATOR],
    },
    # One login key per matrix: the generic one reads right both for publishing and for
    # "my subscriptions" (today's two keys, staff_only and login_needed, cannot both stay).
    login_key="errors.login_required",
    refusal_key="notices.errors.administrators_only",
    refusal_keys={"set_staff_alerts": "notices.errors.staff_alerts_only"},
)
