# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP client for the Losant REST API: one session, bounded retries, readable errors."""

from __future__ import annotations

import random
import time
import traceback
from typing import Any, Callable, Optional

try:
    import requests
    from urllib3.exceptions import NewConnectionError
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

RETRIED_STATUSES = frozenset((429, 502, 503, 504))
# A create that met a gateway error or a broken connection may have been applied, and sending it
# again would make a second webhook: creates are retried only when the API says it did nothing.
CREATE_RETRIED_STATUSES = frozenset((429, 503))
MAYBE_CREATED = ' (the webhook may have been created: check before running again)'
MAX_RETRIES = 4
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
RETRY_AFTER_CAP = 60.0


class LosantError(Exception):
    """A request that failed: the HTTP status and Losant's error type and message when there are any."""

    def __init__(self, method: str, path: str, message: str, status: Optional[int] = None,
                 error_type: Optional[str] = None) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.error_type = error_type
        self.error_message = message
        self.hint = ''
        super().__init__(message)

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        if self.status is None:
            return '%s %s failed: %s%s' % (self.method, self.path, self.error_message, self.hint)
        kind = ' %s' % self.error_type if self.error_type else ''
        return '%s %s failed with HTTP %d%s: %s%s' % (
            self.method, self.path, self.status, kind, self.error_message, self.hint)

    def as_result(self) -> dict[str, Any]:
        return {'status': self.status, 'error_type': self.error_type, 'error_message': self.error_message}


class RetryLater(Exception):
    """The attempt failed, but another may succeed; ``retry_after`` is the API's hint, if any."""

    def __init__(self, retry_after: Optional[str] = None) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def backoff_delay(attempt: int, retry_after: Optional[str] = None) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based)."""
    if retry_after:
        try:
            return min(max(float(retry_after), 0.0), RETRY_AFTER_CAP)
        except ValueError:
            pass  # an HTTP date: fall back to our own backoff
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt) * random.uniform(0.5, 1.0)


def error_from_response(method: str, path: str, response: Any) -> LosantError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and (body.get('type') or body.get('message')):
        return LosantError(method, path, str(body.get('message') or ''), response.status_code, body.get('type'))
    text = (response.text or response.reason or '').strip()[:200]
    return LosantError(method, path, text or 'no error message', response.status_code)


def connection_reason(error: Exception) -> str:
    """The root cause of a connection error, without urllib3's retry wrapper."""
    cause = error.args[0] if error.args else error
    return str(getattr(cause, 'reason', cause))


class LosantClient:
    """Sends requests to the API; retries throttling, gateway errors and reset connections."""

    def __init__(self, api_url: str, api_token: str, timeout: int = 30, validate_certs: bool = True,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base_url = api_url.rstrip('/')
        self.timeout = timeout
        self.sleep = sleep
        self.on_response: Callable[[Any], None] = lambda body: None
        self.session = requests.Session()
        self.session.verify = validate_certs
        self.session.headers.update({
            'Authorization': 'Bearer %s' % api_token,
            'Accept': 'application/json',
            'Accept-Version': '^1.x',
            'User-Agent': 'losant.platform-ansible-collection',
        })

    def request(self, method: str, path: str, body: Optional[dict] = None,
                params: Optional[dict] = None) -> Any:
        for attempt in range(MAX_RETRIES + 1):
            try:
                return self._exchange(method, path, body, params, may_retry=attempt < MAX_RETRIES)
            except RetryLater as retry:
                self.sleep(backoff_delay(attempt, retry.retry_after))
        raise AssertionError('unreachable')  # pragma: no cover

    def _exchange(self, method: str, path: str, body: Optional[dict], params: Optional[dict],
                  may_retry: bool) -> Any:
        """One request and its answer; raises RetryLater when another attempt may succeed."""
        creating = method == 'POST'
        try:
            response = self.session.request(method, self.base_url + path, json=body, params=params,
                                            timeout=self.timeout)
        except requests.Timeout:
            raise LosantError(method, path, 'no answer from %s within %s seconds' % (self.base_url, self.timeout))
        except requests.exceptions.SSLError as exc:
            raise LosantError(method, path, 'TLS error with %s: %s' % (self.base_url, connection_reason(exc)))
        except requests.ConnectionError as exc:
            never_sent = isinstance(getattr(exc.args[0] if exc.args else None, 'reason', None), NewConnectionError)
            if may_retry and (never_sent or not creating):
                raise RetryLater()
            error = LosantError(method, path, 'cannot connect to %s: %s' % (self.base_url, connection_reason(exc)))
            error.hint = MAYBE_CREATED if creating and not never_sent else ''
            raise error
        except requests.RequestException as exc:
            raise LosantError(method, path, 'invalid request: %s' % exc)
        if may_retry and response.status_code in (CREATE_RETRIED_STATUSES if creating else RETRIED_STATUSES):
            raise RetryLater(response.headers.get('Retry-After'))
        if response.status_code >= 400:
            error = error_from_response(method, path, response)
            if creating and response.status_code in RETRIED_STATUSES - CREATE_RETRIED_STATUSES:
                error.hint = MAYBE_CREATED
            raise error
        answer = self._json(method, path, response)
        self.on_response(answer)
        return answer

    @staticmethod
    def _json(method: str, path: str, response: Any) -> Any:
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise LosantError(method, path, 'the API answered HTTP %d with a body that is not JSON'
                              % response.status_code, response.status_code)
