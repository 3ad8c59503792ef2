# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# Private to the losant.platform collection: it changes without notice, so other collections and
# plugins of your own must not import it.

"""HTTP client for the Losant REST API: one session shared by threads, bounded retries, readable errors."""

from __future__ import annotations

import hashlib
import os
import random
import re
import ssl
import threading
import time
import traceback
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Optional

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import NewConnectionError
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

# The API version whose schemas the collection follows, in the form Losant's own clients send.
ACCEPT_VERSION = '^1.30.0'
RETRIED_STATUSES = frozenset((429, 502, 503, 504))
LOSANT_ERROR_TYPE = re.compile(r'[A-Z][A-Za-z]*\Z')
# Statuses after which a write may have been applied although it failed.
UNKNOWN_OUTCOME_STATUSES = frozenset((502, 504))
# Statuses by which the API says it is overloaded, to which callers sending in parallel slow down.
THROTTLED_STATUSES = frozenset((429, 503))
WRITE_METHODS = frozenset(('POST', 'PATCH', 'PUT', 'DELETE'))
MAYBE_CREATED = 'the %s may have been created: check before running again'
MAYBE_APPLIED = 'the change may have been applied: check before running again'
DEFAULT_RETRIES = 4
DEFAULT_RETRY_MAX_WAIT = 60
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
DEFAULT_POOL_SIZE = 10
# A bearer token travels in an HTTP header: visible ASCII only (Losant tokens are JWTs).
TOKEN_PATTERN = re.compile(r'[\x21-\x7e]+\Z')
DELAY_SECONDS = re.compile(r'\d+(\.\d+)?\Z')
NESTED_TOO_DEEPLY = 'a JSON body nested too deeply to read'


class LosantError(Exception):
    """A request that failed: the HTTP status and Losant's error type and message when there are any. ``attempts``
    is set after more than one attempt, or a failure of a retried kind; ``outcome_unknown`` when a write may have been
    applied although it failed; ``transient`` for a timeout or a broken connection, which a later run may not meet."""

    def __init__(self, method: str, path: str, message: str, status: Optional[int] = None,
                 error_type: Optional[str] = None) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.error_type = error_type
        self.error_message = message
        self.attempts: Optional[int] = None
        self.outcome_unknown = False
        self.transient = False
        self.notes: list[str] = []
        self.resource = 'resource'  # what a POST creates, named by the resource's API
        super().__init__(message)

    @property
    def retryable(self) -> bool:
        """Whether running the task again later may succeed: throttled, a server error, a timeout or a broken
        connection."""
        return self.transient or self.status == 429 or (self.status is not None and self.status >= 500)

    def __str__(self) -> str:
        notes = list(self.notes)
        if self.attempts is not None:
            notes.insert(0, '%d attempt%s' % (self.attempts, '' if self.attempts == 1 else 's'))
        if self.outcome_unknown:
            notes.append(MAYBE_CREATED % self.resource if self.method == 'POST' else MAYBE_APPLIED)
        suffix = ' (%s)' % '; '.join(notes) if notes else ''
        if self.status is None:
            return '%s %s failed: %s%s' % (self.method, self.path, self.error_message, suffix)
        kind = ' %s' % self.error_type if self.error_type else ''
        return '%s %s failed with HTTP %d%s: %s%s' % (
            self.method, self.path, self.status, kind, self.error_message, suffix)

    def as_result(self) -> dict[str, Any]:
        return {'status': self.status, 'error_status': self.status, 'error_type': self.error_type,
                'error_message': self.error_message, 'retryable': self.retryable}


@dataclass(frozen=True)
class Shape:
    """What a successful answer must be; ``description`` names it in the error when it is not."""

    description: str
    matches: Callable[[Any], bool]


JSON_OBJECT = Shape('a JSON object', lambda body: isinstance(body, dict))


def page_of(items: str, item: Callable[[Any], bool]) -> Shape:
    """A page of a listing: its ``items`` (a list, absent or null) each match ``item``; ``totalCount`` is whole."""
    def matches(body: Any) -> bool:
        if not isinstance(body, dict):
            return False
        listed = [] if body.get('items') is None else body['items']
        total = body.get('totalCount')
        return (isinstance(listed, list) and all(item(one) for one in listed)
                and (total is None or (isinstance(total, int) and not isinstance(total, bool))))
    return Shape('a page of %s' % items, matches)


class RetryLater(Exception):
    """The attempt failed with ``error``, but another may succeed; ``retry_after`` is the API's hint."""

    def __init__(self, error: LosantError, retry_after: Optional[str] = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def token_errors(token: str) -> list[str]:
    """Problems of a token that has already been stripped of surrounding whitespace; never quotes it."""
    if not token:
        return ['api_token must not be empty']
    if TOKEN_PATTERN.match(token):
        return []
    position = next(index for index, char in enumerate(token, 1) if not TOKEN_PATTERN.match(char))
    return ['api_token has a character an HTTP header cannot carry at position %d of %d (a Losant token is '
            'printable ASCII without spaces)' % (position, len(token))]


def ca_path_errors(ca_path: Optional[str]) -> list[str]:
    """Problems of a CA bundle file or certificate directory, found by loading it as the TLS layer will."""
    if ca_path is None:
        return []
    if not os.path.exists(ca_path):
        return ['ca_path %s does not exist' % ca_path]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        if os.path.isdir(ca_path):
            os.listdir(ca_path)
            context.load_verify_locations(capath=ca_path)
        else:
            context.load_verify_locations(cafile=ca_path)
    except ssl.SSLError as error:
        return ['ca_path %s holds no PEM CA certificate that can be loaded (%s)' % (ca_path, error.reason or error)]
    except OSError as error:
        return ['ca_path %s cannot be read: %s' % (ca_path, error.strerror or error)]
    return []


def retry_errors(retries: int, max_wait: float) -> list[str]:
    errors = []
    if retries < 0:
        errors.append('api_retries must be 0 or more, got %d' % retries)
    if max_wait < 0:
        errors.append('api_retry_max_wait must be 0 or more seconds, got %s' % max_wait)
    return errors


def backoff_delay(attempt: int, retry_after: Optional[str] = None) -> float:
    """Seconds to wait before retry ``attempt`` (0-based): the API's ``Retry-After``, else a jittered backoff."""
    if retry_after:
        delay = retry_after_seconds(retry_after)
        if delay is not None:
            return delay
    return min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt) * random.uniform(0.5, 1.0)


def retry_after_seconds(value: str) -> Optional[float]:
    """A ``Retry-After`` header as seconds from now, or None when it is neither form RFC 9110 allows."""
    if DELAY_SECONDS.match(value.strip()):
        return float(value)
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if date is None or date.tzinfo is None:
        return None
    return max(date.timestamp() - time.time(), 0.0)


def error_from_response(method: str, path: str, response: Any) -> LosantError:
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = None
    if isinstance(body, dict) and (body.get('type') or body.get('message')):
        return LosantError(method, path, str(body.get('message') or ''), response.status_code, body.get('type'))
    text = ' '.join((response.text or response.reason or '').split())[:200]
    return LosantError(method, path, text or 'no error message', response.status_code)


def is_losant_error(response: Any) -> bool:
    """Whether an error answer is Losant's own, ``{"type": "ServiceUnavailable", "message": ...}``, not a proxy's."""
    if 'problem+json' in str(response.headers.get('Content-Type', '')):
        return False
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return False
    return (isinstance(body, dict) and isinstance(body.get('message'), str)
            and isinstance(body.get('type'), str) and LOSANT_ERROR_TYPE.fullmatch(body['type']) is not None)


def connection_reason(error: Exception) -> str:
    """The root cause of a connection error, without urllib3's retry wrapper (it carries no headers)."""
    cause = error.args[0] if error.args else error
    return str(getattr(cause, 'reason', cause))


def parse_json(response: Any) -> tuple[Any, Optional[str]]:
    """The body parsed, or None and what it looks like (never its content, which may hold secrets)."""
    if not response.content:
        return None, 'an empty body'
    try:
        return response.json(), None
    except RecursionError:
        return None, NESTED_TOO_DEEPLY
    except ValueError:
        if 'html' in response.headers.get('Content-Type', '') or response.content.lstrip()[:1] == b'<':
            return None, 'an HTML page'
        return None, 'a body that is not JSON'


def json_kind(body: Any) -> str:
    if isinstance(body, list):
        return 'a JSON list'
    if isinstance(body, dict):
        return 'a different JSON object'
    return 'a JSON %s' % ('null' if body is None else type(body).__name__.replace('str', 'string'))


class RetryBudget:
    """The waiting one task may do, shared by every thread of the client. ``spent`` counts wall-clock seconds during
    which a request waited to be retried, so threads that wait at once use the budget once. After a 429 no thread
    sends a request before ``gate``, the end of the API's wait."""

    def __init__(self, max_wait: float, clock: Callable[[], float]) -> None:
        self.max_wait = max_wait
        self.clock = clock
        self.lock = threading.Lock()
        self.spent = 0.0
        self.waiting_until = 0.0
        self.gate = 0.0

    def left(self, now: float) -> float:
        """Seconds a wait starting ``now`` may last."""
        return max(now, self.waiting_until) - now + self.max_wait - self.spent

    def reserve(self, delay: float, shortenable: bool, close_gate: bool) -> Optional[float]:
        """Charge a wait of ``delay`` seconds from now: the wait granted, None when nothing fits. A wait the API asked
        for is all or nothing; our own backoff is shortened to what is left."""
        with self.lock:
            now = self.clock()
            left = self.left(now)
            if delay > left + 1e-9:
                if not shortenable or left <= 0:
                    return None
                delay = left
            end = now + delay
            self.spent += max(0.0, end - max(now, self.waiting_until))
            self.waiting_until = max(self.waiting_until, end)
            if close_gate:
                self.gate = max(self.gate, end)
            return delay

    def gate_wait(self) -> float:
        with self.lock:
            return max(0.0, self.gate - self.clock())


class BearerToken:
    """Set as auth, not as a header, so that a ~/.netrc entry for the host cannot replace the token."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, prepared: Any) -> Any:
        prepared.headers['Authorization'] = 'Bearer %s' % self.token
        return prepared


# Sessions of this process, so that the tasks and loop items a worker process runs in-process reuse their
# connections (and TLS sessions) instead of opening new ones. Keyed by process too: a forked child never
# uses its parent's sockets. Never shared between tokens, URLs or TLS settings.
SESSIONS: dict[tuple[Any, ...], Any] = {}
SESSIONS_LOCK = threading.Lock()


def shared_session(base_url: str, token: str, verify: Any, pool_size: int) -> Any:
    """This process's session for the API at ``base_url`` with ``token``, made on first use."""
    key = (os.getpid(), base_url, hashlib.sha256(token.encode('utf-8')).hexdigest(), verify, pool_size)
    with SESSIONS_LOCK:
        session = SESSIONS.get(key)
        if session is None:
            for other in [other for other in SESSIONS if other[0] != key[0]]:
                del SESSIONS[other]  # a parent's, inherited by fork: its sockets are the parent's to close
            session = SESSIONS[key] = requests.Session()
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size)
            session.mount('https://', adapter)
            session.mount('http://', adapter)
            session.auth = BearerToken(token)
            session.headers.update({'Accept': 'application/json', 'Accept-Version': ACCEPT_VERSION,
                                    'User-Agent': 'losant.platform-ansible-collection'})
        return session


class LosantClient:
    """Sends requests to the API; retries throttling, gateway errors and reset connections. Threads share the
    session (``shared_session``, this process's for the URL and token), the retry budget and the 429 gate."""

    def __init__(self, api_url: str, api_token: str, timeout: int = 30, validate_certs: bool = True,
                 ca_path: Optional[str] = None, retries: int = DEFAULT_RETRIES,
                 retry_max_wait: float = DEFAULT_RETRY_MAX_WAIT, pool_size: int = DEFAULT_POOL_SIZE,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.base_url = api_url.rstrip('/')
        self.timeout = timeout
        self.retries = retries
        self.retry_max_wait = retry_max_wait
        self.budget = RetryBudget(retry_max_wait, clock)
        self.sleep = sleep
        self.on_response: Callable[[Any], None] = lambda body: None
        self.on_throttled: Callable[[], None] = lambda: None
        # Passed with every request: a session-wide setting loses to REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE.
        self.verify: Any = (ca_path or True) if validate_certs else False
        self.session = shared_session(self.base_url, api_token, self.verify, max(pool_size, 1))

    def request(self, method: str, path: str, body: Optional[dict] = None, params: Optional[dict] = None,
                expect: Shape = JSON_OBJECT) -> Any:
        """The answer to one API call, which must have the shape ``expect``; any failure raises LosantError, so that a
        module fails naming the request instead of crashing."""
        try:
            return self._request(method, path, body, params, expect)
        except LosantError:
            raise
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # Its text may quote the request, the token included: name its kind only.
            error = LosantError(method, path, 'unexpected %s' % type(exc).__name__)
            error.outcome_unknown = method in WRITE_METHODS
            raise error from exc

    def _request(self, method: str, path: str, body: Optional[dict], params: Optional[dict], expect: Shape) -> Any:
        outcome_unknown = False
        attempt = 0
        while True:
            delay = self.budget.gate_wait()
            if delay > 0:
                self.sleep(delay)
            attempt += 1
            try:
                answer = self._exchange(method, path, body, params, expect)
            except RetryLater as retry:
                error = retry.error
                if error.status in THROTTLED_STATUSES:
                    self.on_throttled()
                outcome_unknown = outcome_unknown or error.outcome_unknown
                error.attempts = attempt
                if attempt <= self.retries and self._wait_before_retry(error, attempt, retry.retry_after):
                    continue
                error.outcome_unknown = outcome_unknown
                raise error
            except LosantError as error:
                if error.attempts is not None or attempt > 1:
                    error.attempts = attempt
                error.outcome_unknown = error.outcome_unknown or outcome_unknown
                raise
            self.on_response(answer)
            return answer

    def _wait_before_retry(self, error: LosantError, attempt: int, retry_after: Optional[str]) -> bool:
        """Wait before the next attempt if the budget allows; else note on ``error`` why not and return False."""
        asked = retry_after_seconds(retry_after) if retry_after else None
        delay = backoff_delay(attempt - 1, retry_after)
        throttled = error.status == 429
        granted = self.budget.reserve(delay, shortenable=asked is None, close_gate=throttled)
        if granted is None:
            error.notes.append(self._refusal(delay, asked is not None))
            return False
        if not throttled and granted > 0:
            self.sleep(granted)
        return True

    def _refusal(self, delay: float, asked: bool) -> str:
        if not asked:
            return 'api_retry_max_wait of %s seconds used up' % self.retry_max_wait
        try:
            retry_at = ': retry after %s' % time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(time.time() + delay))
        except (OverflowError, OSError, ValueError):  # later than the platform's clock can tell
            retry_at = ''
        return ('the API asked to wait %.0f seconds, more than what is left of api_retry_max_wait (%s seconds)%s'
                % (delay, self.retry_max_wait, retry_at))

    def _exchange(self, method: str, path: str, body: Optional[dict], params: Optional[dict], expect: Shape) -> Any:
        """One request and its answer; raises RetryLater when another attempt may succeed."""
        creating = method == 'POST'
        writing = method in WRITE_METHODS
        try:
            response = self.session.request(method, self.base_url + path, json=body, params=params,
                                            timeout=self.timeout, verify=self.verify, allow_redirects=False)
        except requests.Timeout as exc:
            error = LosantError(method, path, 'no answer from %s within %s seconds' % (self.base_url, self.timeout))
            error.transient = True
            error.outcome_unknown = writing and not isinstance(exc, requests.ConnectTimeout)
            raise error
        except requests.exceptions.SSLError as exc:
            reason = connection_reason(exc)
            raise LosantError(method, path, 'TLS error with %s: %s%s' % (self.base_url, reason, self._tls_hint()))
        except requests.ConnectionError as exc:
            never_sent = isinstance(getattr(exc.args[0] if exc.args else None, 'reason', None), NewConnectionError)
            error = LosantError(method, path, 'cannot connect to %s: %s' % (self.base_url, connection_reason(exc)))
            error.transient = True
            error.outcome_unknown = writing and not never_sent
            if never_sent or not creating:
                raise RetryLater(error)
            error.attempts = 1
            raise error
        except requests.RequestException as exc:
            # The exception text may quote a header, the token included: name its kind only.
            raise LosantError(method, path, 'the request could not be sent (%s)' % type(exc).__name__)
        return self._answer(method, path, response, expect)

    def _tls_hint(self) -> str:
        """Where the CA that verifies the API's certificate is set, unless verification is off."""
        if self.verify is False:
            return ''
        if isinstance(self.verify, str):
            return '; check that ca_path (or LOSANT_CA_PATH), %s, holds the CA that signed its certificate' % self.verify
        return ('; for a private CA or a proxy that inspects TLS, set ca_path (or LOSANT_CA_PATH) to a bundle with the '
                'CA that signed its certificate')

    def _answer(self, method: str, path: str, response: Any, expect: Shape) -> Any:
        status = response.status_code
        writing = method in WRITE_METHODS
        if 300 <= status < 400:
            location = response.headers.get('Location')
            raise LosantError(method, path, '%s; API requests never follow redirects: set api_url to the address '
                              'the API answers at' % ('redirected to %s' % location if location
                                                      else 'a redirect without a Location'), status)
        if status in RETRIED_STATUSES:
            error = error_from_response(method, path, response)
            error.outcome_unknown = writing and status in UNKNOWN_OUTCOME_STATUSES
            # A create sent again after it was applied makes a second object, so it is retried only when nothing was
            # handled: a 429 says so whoever answers, a 503 only in the API's own error (a proxy's may follow a create
            # the API received).
            if method != 'POST' or status == 429 or (status == 503 and is_losant_error(response)):
                raise RetryLater(error, response.headers.get('Retry-After'))
            error.outcome_unknown = True  # a gateway error, or a proxy's answer after the API may have had it
            error.attempts = 1
            raise error
        if status >= 400:
            raise error_from_response(method, path, response)
        answer, kind = parse_json(response)
        if kind is None and not expect.matches(answer):
            kind = json_kind(answer)
        if kind:
            error = LosantError(method, path, 'the API answered HTTP %d with %s where %s was expected'
                                % (status, kind, expect.description), status)
            error.outcome_unknown = writing
            raise error
        return answer
