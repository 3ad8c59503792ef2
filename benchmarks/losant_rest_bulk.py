# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a Losant user's own script does to converge a whole application: list it, PATCH what differs, 4 threads.

Usage: python losant_rest_bulk.py API_URL TOKEN APPLICATION_ID WEBHOOKS_JSON
WEBHOOKS_JSON lists {"name", "description", "response_code"}. Prints how many webhooks it changed.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor

from losant_rest import Client

THREADS = 4
PER_PAGE = 1000


def listing(client: Client, application_id: str) -> list[dict]:
    webhooks, page = [], 0
    while True:
        answer = client.webhooks.get(applicationId=application_id, page=page, perPage=PER_PAGE, sortField='name')
        webhooks.extend(answer['items'])
        page += 1
        if not answer['items'] or page * PER_PAGE >= answer['totalCount']:
            return webhooks


def main(api_url: str, token: str, application_id: str, webhooks_file: str) -> None:
    with open(webhooks_file, encoding='utf-8') as handle:
        wanted = json.load(handle)
    client = Client(token, url=api_url)
    current = {webhook['name']: webhook for webhook in listing(client, application_id)}
    patches = []
    for webhook in wanted:
        desired = {'description': webhook['description'], 'responseCode': webhook['response_code']}
        found = current[webhook['name']]
        if any(found.get(key) != value for key, value in desired.items()):
            patches.append((found['id'], desired))
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(lambda patch: client.webhook.patch(applicationId=application_id, webhookId=patch[0],
                                                         webhook=patch[1]), patches))
    print(json.dumps({'changed': len(patches)}))


if __name__ == '__main__':
    main(*sys.argv[1:5])
