# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of the Losant REST API.
      - If not set, the value of the E(LOSANT_API_URL) environment variable is used.
      - Whitespace around the URL is removed. A user name or password in it is refused, as the token is the only
        credential sent.
    type: str
    default: https://api.losant.com
  api_token:
    description:
      - Losant API access token, sent as a bearer token.
      - The token needs a scope that allows the calls the module makes, for example
        C(all.Application), or C(webhooks.*) and C(webhook.*) for webhook management.
      - If not set, the value of the E(LOSANT_API_TOKEN) environment variable is used. One of them is required;
        without either, the task fails before any request, naming both.
      - Whitespace around the token, such as the final newline of a vault block scalar, is removed.
        A token with any other character than printable ASCII is refused before any request.
    type: str
  timeout:
    description:
      - Seconds to wait for each HTTP response before failing.
      - If not set, the value of the E(LOSANT_TIMEOUT) environment variable is used.
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(api_url).
      - V(false) turns verification off even when E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) is set.
      - Only disable this for a local API emulator or a trusted proxy; prefer O(ca_path).
      - If not set, the value of the E(LOSANT_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates, or a directory of them prepared with C(openssl rehash), to verify the
        TLS certificate of O(api_url) with, instead of the system's or E(REQUESTS_CA_BUNDLE). Use it for a
        self-hosted Losant installation or a proxy that inspects TLS.
      - It is read before any request; a file without a certificate fails the task.
      - Neither read nor checked when O(validate_certs=false), so that validation can be turned off for one task
        while O(ca_path) stays set in C(module_defaults).
      - If not set, the value of the E(LOSANT_CA_PATH) environment variable is used.
    type: path
    version_added: 0.2.0
  api_retries:
    description:
      - How many times a request is retried after HTTP 429, 502, 503 or 504, or a connection that failed or
        was reset, before the task fails. V(0) sends every request once.
      - If not set, the value of the E(LOSANT_API_RETRIES) environment variable is used.
    type: int
    version_added: 0.2.0
    default: 4
  api_retry_max_wait:
    description:
      - Total seconds the task may spend waiting between retries, all of its requests together.
      - When the API asks, with C(Retry-After), for a longer wait than what is left, the task fails at once
        and the message says when to retry. Waits of parallel requests that overlap count once.
      - If not set, the value of the E(LOSANT_API_RETRY_MAX_WAIT) environment variable is used.
    type: int
    version_added: 0.2.0
    default: 60
  trigger_base_url:
    description:
      - Where the webhooks of the installation that O(api_url) belongs to are triggered, up to their token, for
        example V(https://triggers.example.com/webhooks). A webhook's C(trigger_url) is this URL, C(/) and its
        token.
      - Not needed for Losant's public API (O(api_url) V(https://api.losant.com), however spelled), whose
        webhooks are triggered at V(https://triggers.losant.com/webhooks). For any other O(api_url) the trigger
        host cannot be derived from it, so without this option the modules return no trigger URL, rather than
        one that would send the token to Losant's public cloud.
      - If not set, the value of the E(LOSANT_TRIGGER_BASE_URL) environment variable is used.
    type: str
    version_added: 0.3.0
requirements:
  - requests
notes:
  - All modules of this collection belong to the C(losant.platform.losant) action group, so
    the connection options O(api_url), O(api_token), O(timeout), O(validate_certs), O(ca_path),
    O(api_retries), O(api_retry_max_wait) and O(trigger_base_url) can be set once with C(module_defaults) and
    C(group/losant.platform.losant).
  - Each connection option falls back to its environment variable, so that a pipeline or an AWX credential can
    set them all without touching playbooks. A variable whose value the option cannot take (E(LOSANT_TIMEOUT=soon))
    fails the task before any request, naming the variable; an option set in the task wins over its variable.
  - Requests answered with HTTP 429, 502, 503 or 504, and connections reset by the server, are retried
    with a jittered exponential backoff, or after the wait C(Retry-After) asks for (seconds or an HTTP date),
    within O(api_retries) and O(api_retry_max_wait). After a 429 every request of the task waits. A create
    is retried only on HTTP 429, on a 503 that is Losant's own JSON error (not a proxy's, which may come after the
    API received the create), or when no connection was made, so that a retry never makes a second
    webhook. Timeouts and other errors fail at once with the HTTP method, path, status and the API's error
    type and message; after retries the message says how many attempts were made.
  - API requests never follow redirects, so that a write cannot turn into a read; an HTTP 3xx answer fails
    naming its C(Location). An answer that is not the JSON the call returns (an empty body, a list, an HTML
    page) fails naming the request.
"""

    # The attributes every module of the collection shares; each module states check_mode and diff_mode.
    ATTRIBUTES = r"""
attributes:
  action_group:
    support: full
    membership:
      - losant.platform.losant
  platform:
    support: full
    platforms: posix
    details:
      - Runs wherever Python and C(requests) are installed, usually on the controller (C(localhost)),
        and talks to the API over HTTPS.
"""

    # Drift attribution from the organization's audit log (module_utils/_attribution.py).
    ATTRIBUTION = r"""
options:
  attribution:
    description:
      - In check mode, name for each change the newest entry of the organization's audit log about its
        webhook within O(attribution_days), saying who (actor name and type), when, and what (the request's
        action, and for an update the options it touched; never a value). See RV(changes) and RV(attribution_unavailable).
      - Costs two requests when there is drift and none when there is not. Losant keeps audit logs only for the
        applications an organization owns, and the token needs an organization scope such as
        C(all.Organization.read) or C(auditLogs.get) (see O(audit_api_token)).
      - Attribution never fails the task; when it cannot be had, RV(attribution_unavailable) says why.
      - Ignored outside check mode, where the run's own writes would be the newest entries.
    type: bool
    default: false
    version_added: 0.3.0
  attribution_days:
    description:
      - How many days back O(attribution) looks in the audit log, from 1 to 3660.
    type: int
    default: 30
    version_added: 0.3.0
  audit_api_token:
    description:
      - A token that may read the organization's audit logs, used for them instead of O(api_token) (an
        application's token cannot reach organization scopes).
      - If not set, the value of the E(LOSANT_AUDIT_API_TOKEN) environment variable is used.
    type: str
    version_added: 0.3.0
"""

    # Field options of one webhook. Each is compared and sent only when set. losant_webhooks documents
    # them again as config suboptions; tests/unit/plugins/modules/test_documentation.py keeps both in step.
    WEBHOOK_FIELDS = r"""
options:
  description:
    description:
      - Description of the webhook, at most 32767 characters. The platform default is empty.
    type: str
  response_code:
    description:
      - HTTP status code the webhook answers with, from 100 to 599. The platform default is C(200).
    type: int
  verification_type:
    description:
      - How the platform answers the verification requests of a third-party service.
      - The platform default is V(none).
    type: str
    choices: [none, facebook, fitbit, twilio, alexa]
  verification_code:
    description:
      - Verification code for O(verification_type), at most 32767 characters. A secret, never shown.
        See O(update_secrets).
    type: str
  wait_for_reply:
    description:
      - Whether the webhook waits for a workflow to reply before answering. The platform default is V(false).
    type: bool
  basic_auth_username:
    description:
      - Username callers must send with HTTP basic auth, at most 255 characters. Empty (the platform
        default) disables basic auth.
    type: str
  basic_auth_password:
    description:
      - Password for O(basic_auth_username), at most 255 characters. A secret, never shown.
        See O(update_secrets).
    type: str
  is_websocket:
    description:
      - Whether the webhook accepts WebSocket connections. The platform default is V(false).
    type: bool
  cast_buffers_as:
    description:
      - How binary request bodies are passed to workflows. The platform default is V(array).
    type: str
    choices: [array, binary, utf8, base64, hex]
  annotate_multipart:
    description:
      - Whether multipart request bodies are annotated with their parts' headers. The platform default is V(false).
    type: bool
  enabled:
    description:
      - Whether the webhook accepts requests. The platform default is V(true).
    type: bool
"""
