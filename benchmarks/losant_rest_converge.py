# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a Losant user's own script does without the collection: GET each webhook, PATCH the ones that differ.

Usage: python losant_rest_converge.py API_URL TOKEN APPLICATION_ID WEBHOOKS_JSON
WEBHOOKS_JSON lists {"id", "description", "response_code"}. Prints how many webhooks it changed.
"""

from __future__ import annotations

import json
import sys

from losant_rest import Client


def main(api_url: str, token: str, application_id: str, webhooks_file: str) -> None:
    with open(webhooks_file, encoding='utf-8') as handle:
        wanted = json.load(handle)
    client = Client(token, url=api_url)
    changed = 0
    for webhook in wanted:
        current = client.webhook.get(applicationId=application_id, webhookId=webhook['id'])
        desired = {'description': webhook['description'], 'responseCode': webhook['response_code']}
        if any(current.get(key) != value for key, value in desired.items()):
            client.webhook.patch(applicationId=application_id, webhookId=webhook['id'], webhook=desired)
            changed += 1
    print(json.dumps({'changed': changed}))


if __name__ == '__main__':
    main(*sys.argv[1:5])
