"""The harness end to end: documents with good, broken and leaking examples, run with ansible-playbook
against an emulator served from a thread. Needs the collection copy of ``make sync`` (.tmp)."""
from __future__ import annotations

import re
import textwrap

import pytest

from tests.docs_examples.cli import ROOT, main

LIST_WEBHOOKS = """\
- name: List the webhooks
  losant.platform.losant_webhook_info:
    application_id: 575ec8687ae143cd83dc4a97
  register: listing
"""


@pytest.fixture(autouse=True)
def collection_copy():
    if not (ROOT / ".tmp" / "ansible_collections" / "losant" / "platform").is_dir():
        pytest.fail("no collection copy in .tmp: run these tests through make docs-examples")


def run_doc(tmp_path, capsys, text: str) -> tuple:
    (tmp_path / "doc.md").write_text(textwrap.dedent(text), encoding="utf-8")
    status = main(["--root", str(tmp_path), "--work", str(tmp_path / "work"), "doc.md"])
    return status, capsys.readouterr().out


def fence(yaml_text: str, marker: str = "") -> str:
    return (f"<!-- example: {marker} -->\n" if marker else "") + f"```yaml\n{yaml_text}```\n\n"


def fence_lines(document: str) -> list:
    return [number for number, line in enumerate(document.splitlines(), 1) if line == "```yaml"]


def results(output: str) -> dict:
    """doc.md line -> 'ok' or the failure messages of that block."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"^(ok  |FAIL) doc\.md:(\d+)(:| \()(.*)$", line)
        if match and match[1] == "ok  ":
            found[int(match[2])] = "ok"
        elif match and match[3] == ":":
            found.setdefault(int(match[2]), [])
            if found[int(match[2])] != "ok":
                found[int(match[2])].append(match[4].strip())
    return found


def test_good_examples_pass_with_their_markers(tmp_path, capsys):
    document = (
        fence("declared:\n  - name: orders\n    response_code: 201\n", "vars file=declared.yml")
        + fence("- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                "    - losant.platform.losant_webhooks:\n        application_id: 575ec8687ae143cd83dc4a97\n"
                "        state: overridden\n        config: '{{ declared }}'\n",
                "playbook file=deploy.yml vars=declared.yml")
        + fence("- name: Compare\n  losant.platform.losant_webhooks:\n    application_id: 575ec8687ae143cd83dc4a97\n"
                "    state: overridden\n    config: '{{ declared }}'\n  check_mode: true\n  register: drift\n"
                "- ansible.builtin.assert:\n    that: not drift.changed\n",
                "tasks after=deploy.yml vars=declared.yml")
        + fence("- losant.platform.losant_webhook_info:\n    application_id: 575ec8687ae143cd83dc4a97\n"
                "    webhook_id: 575ed78e7ae143cd83dc4aab\n  register: found\n"
                "- ansible.builtin.assert:\n    that: found.webhooks[0].name == 'seeded'\n"
                "- ansible.builtin.copy:\n    dest: \"{{ lookup('ansible.builtin.env', 'PWD') }}/in-pwd.txt\"\n"
                "    content: written where the shell would be\n    mode: '0644'\n",
                "tasks seed=seeded:575ed78e7ae143cd83dc4aab")
        + fence("- ansible.builtin.fail:\n    msg: shown on purpose\n", "tasks rc=2")
        + fence("- awx.awx.credential_type: {}\n", 'tasks skip="needs AWX"')
    )
    status, output = run_doc(tmp_path, capsys, document)
    assert status == 0, output
    deploy, drift, seeded, failing, skipped = fence_lines(document)[1:]
    assert results(output) == {deploy: "ok", drift: "ok", seeded: "ok", failing: "ok"}
    assert f"SKIP doc.md:{skipped} (tasks): needs AWX" in output
    assert [path.parent.name for path in (tmp_path / "work").rglob("in-pwd.txt")] == [f"002-doc-{seeded}"]
    assert not (ROOT / "in-pwd.txt").exists()
    assert "4 examples run (normal and --check --diff), 1 skipped, 1 checked without running, 0 failures" in output


def test_broken_leaking_and_unexpectedly_passing_examples_fail_the_step(tmp_path, capsys):
    document = (
        fence(LIST_WEBHOOKS)
        + fence("- ansible.builtin.fail:\n    msg: this example is broken\n")
        + fence("- ansible.builtin.debug:\n    msg: \"{{ lookup('ansible.builtin.env', 'LOSANT_API_TOKEN') }}\"\n")
        + fence("- ansible.builtin.copy:\n    dest: report.txt\n    content: \"{{ lookup('ansible.builtin.env', "
                "'LOSANT_API_TOKEN') }}\"\n    mode: '0644'\n")
        + fence("- ansible.builtin.debug:\n    msg: fine\n", "tasks rc=2")
        + fence("- ansible.builtin.debug:\n    msg: '{{ vault_password }}'\n",
                "tasks vars=secret.yml")
        + fence("vault_password: hunter2-hunter2\n", "vars file=secret.yml")
        + fence("- hosts: webservers\n  tasks:\n    - ansible.builtin.debug:\n")
    )
    status, output = run_doc(tmp_path, capsys, document)
    assert status == 1
    found = results(output)
    lines = fence_lines(document)
    good, broken, printed, written, passing, vault, no_hosts = lines[:6] + lines[7:]
    assert found[good] == "ok"
    assert [message.split(" (log:")[0] for message in found[broken]] == [
        "normal run: exit status 2, expected 0", "check run: exit status 2, expected 0"]
    assert "this example is broken" in output
    assert found[printed] == ["a secret (doc...) appears in the output of the normal run",
                              "a secret (doc...) appears in the output of the check run"]
    assert found[written] == ["a secret (doc...) appears in report.txt, written by the normal run"]
    assert [message.split(" (log:")[0] for message in found[passing]] == [
        "normal run: exit status 0, expected 2", "check run: exit status 0, expected 2"]
    assert found[vault] == ["a secret (hun...) appears in the output of the normal run",
                            "a secret (hun...) appears in the output of the check run"]
    assert found[no_hosts] == [f"{mode} run: no task ran on any host (a play whose hosts match nothing but the "
                               "implicit localhost?)" for mode in ("normal", "check")]
    assert "7 examples run (normal and --check --diff), 0 skipped, 1 checked without running, 11 failures" in output


def test_a_drift_check_example_must_end_with_the_report_status_it_names(tmp_path, capsys):
    declared = "losant_application_id: 575ec8687ae143cd83dc4a97\nlosant_webhooks:\n  - name: orders\n"
    document = (
        fence(declared, "vars file=drift.yml run=losant.platform.drift_check rc=2 report=drift")
        + fence(declared, "vars file=error.yml run=losant.platform.drift_check rc=2 report=error")
        + fence(declared, "vars file=unsaid.yml run=losant.platform.drift_check rc=2")
    )
    status, output = run_doc(tmp_path, capsys, document)
    assert status == 1
    found = results(output)
    drift, error, unsaid = fence_lines(document)
    assert found[drift] == "ok"
    assert found[error] == [f"{mode} run: losant-drift.json says status 'drift', expected 'error'"
                            for mode in ("normal", "check")]
    assert found[unsaid] == ["run= needs report=clean|drift|error: the status the report must say, beside the "
                             "exit status"]


def test_an_inventory_example_runs_the_drift_check_with_it_on_the_applications_it_names(tmp_path, capsys):
    inventory = ("losant_applications:\n  hosts:\n"
                 "    production:\n      losant_application_id: 575ec8687ae143cd83dc4a97\n"
                 "      losant_webhooks: [{name: orders}]\n"
                 "    staging:\n      losant_application_id: 575ec8687ae143cd83dc4a98\n      losant_webhooks: []\n")
    document = fence(inventory, "vars file=applications.yml inventory=true applications=575ec8687ae143cd83dc4a98 "
                                "run=losant.platform.drift_check rc=2 report=drift")
    status, output = run_doc(tmp_path, capsys, document)
    assert status == 0, output
    assert results(output) == {fence_lines(document)[0]: "ok"}


def test_a_ci_example_with_rc_runs_its_first_ansible_playbook_command(tmp_path, capsys):
    declared = "losant_application_id: 575ec8687ae143cd83dc4a97\nlosant_webhooks:\n  - name: orders\n"
    job = ("jobs:\n  drift:\n    steps:\n      - run: |\n"
           "          ansible-playbook losant.platform.drift_check -e @webhooks.yml || status=$?\n")
    document = (fence(declared, "vars file=webhooks.yml run=losant.platform.drift_check rc=2 report=drift")
                + fence(job, "ci rc=2 report=drift") + fence(job, "ci rc=0 report=clean") + fence(job))
    status, output = run_doc(tmp_path, capsys, document)
    assert status == 1
    # --root is tmp_path, which ships no playbooks/drift_check.yml for the static check.
    found = {line: [message for message in messages if "the collection does not ship" not in message]
             for line, messages in results(output).items() if messages != "ok"}
    unused, drift, clean, unrun = fence_lines(document)
    assert results(output)[drift] == "ok"
    assert [message.split(" (log:")[0] for message in found[clean]] == [
        "normal run: exit status 2, expected 0", "check run: exit status 2, expected 0"]
    assert found[unrun] == []
    assert "3 examples run (normal and --check --diff)" in output
