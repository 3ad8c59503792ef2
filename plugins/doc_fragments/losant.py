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
    type: str
    default: https://api.losant.com
  api_token:
    description:
      - Losant API access token, sent as a bearer token.
      - The token needs a scope that allows the calls the module makes, for example
        C(all.Application), or C(webhooks.*) and C(webhook.*) for webhook management.
      - If not set, the value of the E(LOSANT_API_TOKEN) environment variable is used.
    type: str
    required: true
  timeout:
    description:
      - Seconds to wait for each HTTP response before failing.
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(api_url).
      - Only disable this for a local API emulator or a trusted proxy.
    type: bool
    default: true
requirements:
  - requests
notes:
  - All modules of this collection belong to the C(losant.platform.losant) action group, so
    O(api_url), O(api_token), O(timeout) and O(validate_certs) can be set once with
    C(module_defaults) and C(group/losant.platform.losant).
  - Requests answered with HTTP 429 (honouring C(Retry-After)), 502, 503 or 504, and connections reset
    by the server, are retried with a bounded, jittered exponential backoff. A create is retried only on
    HTTP 429 and 503 or when no connection was made, so that a retry never makes a second webhook.
    Timeouts and other errors fail at once with the HTTP method, path, status and the API's error type
    and message.
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
