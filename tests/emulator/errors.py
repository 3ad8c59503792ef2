"""Errors that become Losant-style ``{"type": ..., "message": ...}`` responses."""
from __future__ import annotations

from http import HTTPStatus


class ApiError(Exception):
    """An error answered to the client as a JSON error body."""

    def __init__(self, status: int, error_type: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict:
        return {"type": self.error_type, "message": self.message}


def validation(message: str) -> ApiError:
    return ApiError(400, "Validation", message)


def not_found(message: str) -> ApiError:
    return ApiError(404, "NotFound", message)


def status_type(status: int) -> str:
    """Error type for a bare HTTP status, e.g. 503 -> ServiceUnavailable."""
    known = {400: "Validation", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound"}
    if status in known:
        return known[status]
    try:
        return HTTPStatus(status).phrase.replace(" ", "").replace("-", "")
    except ValueError:
        return "Error"


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
