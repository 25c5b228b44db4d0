from flask import Blueprint

bp = Blueprint("submissions", __name__)

from hackathon.submissions import organizer, panel, views  # noqa: E402, F401

panel.register()


@bp.record_once
def _hook_into_me(state) -> None:  # type: ignore[no-untyped-def]
    state.app.extensions.setdefault("me_hooks", []).append(panel.fill_me)
