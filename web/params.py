"""Validated request parameters: a clear 400 or 413 naming the parameter, never a stack trace."""

from __future__ import annotations

from flask import abort, current_app, request


def text_param(name: str, required: bool = False) -> str:
    value = request.values.get(name, "")
    if len(value) > current_app.config["MAX_QUERY_CHARS"]:
        abort(413, description=f"parameter {name!r} is longer than {current_app.config['MAX_QUERY_CHARS']} characters")
    if required and not value.strip():
        abort(400, description=f"parameter {name!r} is required")
    return value.strip()


def int_param(name: str, default: int, low: int, high: int) -> int:
    raw = request.values.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"parameter {name!r} must be a whole number, not {raw[:40]!r}")
    if not low <= value <= high:
        abort(400, description=f"parameter {name!r} must be between {low} and {high}")
    return value
