"""Run examples with ansible-playbook against the emulator, each from a fresh emulator state."""
from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import textwrap
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..emulator.server import make_server
from ..emulator.state import State
from .classify import Example

APPLICATION_ID = "575ec8687ae143cd83dc4a97"
SECRET_KEY = re.compile(r"(password|verification_code|token|secret)", re.IGNORECASE)
LOADED_BY_ANSIBLE = ("group_vars/", "host_vars/")
# Anything but the emulator goes to a closed port: an example can never reach a real API.
NO_INTERNET = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
               "https_proxy": "http://127.0.0.1:9", "http_proxy": "http://127.0.0.1:9",
               "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
DIGEST_LINES = 30
DRIFT_REPORT = "losant-drift.json"
RECAP_HOST = re.compile(r"^\S+\s+: ok=\d+", re.MULTILINE)


class Emulator:
    """An emulator served from a thread of this process, prepared through its admin API."""

    def __init__(self) -> None:
        state = State()
        state.mark_initial()
        self.server = make_server(state, "127.0.0.1", 0).start_thread()
        self.url, self.token = self.server.url, f"docs-examples-token-{secrets.token_hex(8)}"

    def stop(self) -> None:
        self.server.stop()

    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/_emulator{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def prepare(self, plan: Plan) -> None:
        """Back to an empty state, then the examples' application, tokens and seeded webhooks."""
        self.request("POST", "/reset")
        for application in [APPLICATION_ID, *plan.applications]:
            self.request("POST", "/applications", {"id": application})
        for token in [self.token, *plan.tokens]:
            self.request("POST", "/tokens", {"token": token, "scopes": ["all.Application"]})
        if plan.seeds:
            self.request("POST", f"/applications/{APPLICATION_ID}/webhooks",
                         {"webhooks": plan.seeds, "apply_defaults": True})


@dataclass
class Plan:
    """One runnable example: files to write, the playbook run, what the emulator holds first."""
    example: Example
    playbook: str
    files: dict = field(default_factory=dict)          # file name -> text, written to the work dir
    extra_args: list = field(default_factory=list)
    before: list = field(default_factory=list)         # argument lists of the playbooks run first, normally
    seeds: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    tokens: list = field(default_factory=list)
    secrets: list = field(default_factory=list)
    expected_rc: int = 0
    expected_report: str | None = None                 # the drift report's status (run=drift_check)


def secrets_in(variables: Any) -> list:
    """Literal values of secret-named variables (templates are not values)."""
    if isinstance(variables, dict):
        found = []
        for key, value in variables.items():
            if isinstance(value, str) and SECRET_KEY.search(str(key)) and "{{" not in value and len(value) >= 4:
                found.append(value)
            else:
                found += secrets_in(value)
        return found
    if isinstance(variables, list):
        return [secret for value in variables for secret in secrets_in(value)]
    return []


def api_tokens_in(variables: dict) -> list:
    return [value for key, value in variables.items()
            if str(key).endswith("api_token") and isinstance(value, str) and "{{" not in value]


def wrap_tasks(text: str, where: str, vars_files: list) -> str:
    play = {"name": f"Example {where}", "hosts": "localhost", "gather_facts": False}
    if vars_files:
        play["vars_files"] = vars_files
    tasks = text[len("---\n"):] if text.startswith("---\n") else text
    return yaml.safe_dump([play], sort_keys=False) + "  tasks:\n" + textwrap.indent(tasks, "    ")


def parse_seeds(value: str) -> list:
    seeds = []
    for item in value.split(","):
        name, webhook_id = (item.strip().split(":", 1) + [""])[:2]
        seeds.append({"name": name, **({"id": webhook_id} if webhook_id else {})})
    return seeds


def loaded_by_playbook(plays: Any, name: str) -> bool:
    if name.startswith(LOADED_BY_ANSIBLE):
        return True
    return any(name in (play.get("vars_files") or []) for play in plays if isinstance(play, dict))


@dataclass
class Outcome:
    where: str
    mode: str
    seconds: float
    problems: list


class Runner:
    def __init__(self, ansible_playbook: str, collections_path: Path, work: Path) -> None:
        self.ansible_playbook, self.work = ansible_playbook, work
        self.env = {**os.environ, **NO_INTERNET, "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
                    "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0", "ANSIBLE_RETRY_FILES_ENABLED": "0",
                    "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
                    "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "0"}

    def run(self, plan: Plan, index: int, emulator: Emulator) -> list:
        """Normal mode, then --check --diff, each from a fresh emulator; the outcomes of both."""
        directory = self.work / f"{index:03d}-{Path(plan.example.block.path).stem}-{plan.example.block.line}"
        directory.mkdir(parents=True)
        config = directory / "ansible.cfg"
        config.write_text("[defaults]\n", encoding="utf-8")
        for name, text in plan.files.items():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_text(text, encoding="utf-8")
        # PWD too: drift_check writes its reports there, as a shell would have set it.
        env = {**self.env, "ANSIBLE_CONFIG": str(config), "LOSANT_API_URL": emulator.url,
               "LOSANT_API_TOKEN": emulator.token, "PWD": str(directory)}
        secrets_ = [emulator.token, *plan.secrets]
        return [self._run_mode(plan, directory, env, mode, emulator, secrets_) for mode in ("normal", "check")]

    def _run_mode(self, plan: Plan, directory: Path, env: dict, mode: str, emulator: Emulator,
                  secret_values: list) -> Outcome:
        start, started_at = time.monotonic(), time.time()
        emulator.prepare(plan)
        problems = []
        for before in plan.before:
            code, output = self._playbook(directory, env, before)
            if code != 0:
                problems.append(f"{mode} run: the example it runs after ({before[0]}) failed with exit status "
                                f"{code}:\n{digest(output)}")
        if not problems:
            # -vvv shows module arguments too, but costs a second a run: once per example is enough.
            flags = ["--check", "--diff", "-vvv"] if mode == "check" else ["-v"]
            code, output = self._playbook(directory, env, [plan.playbook, *plan.extra_args, *flags])
            if code != plan.expected_rc:
                problems.append(f"{mode} run: exit status {code}, expected {plan.expected_rc} (log: "
                                f"{directory / (mode + '.log')}):\n{digest(output)}")
            elif not RECAP_HOST.search(output):
                problems.append(f"{mode} run: no task ran on any host (a play whose hosts match nothing but "
                                "the implicit localhost?)")
            elif plan.expected_report:
                problems += report_problems(directory / DRIFT_REPORT, plan.expected_report, mode)
            (directory / f"{mode}.log").write_text(output, encoding="utf-8")
            problems += leaks(output, secret_values, written_files(directory, plan, started_at), mode)
        return Outcome(plan.example.where, mode, time.monotonic() - start, problems)

    def _playbook(self, directory: Path, env: dict, args: list) -> tuple:
        command = [self.ansible_playbook, *args]
        done = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, timeout=600,
                              check=False)
        return done.returncode, done.stdout + done.stderr


def report_problems(path: Path, expected: str, mode: str) -> list:
    """The drift report's status must be the expected one: an error and drift share an exit status."""
    try:
        status = json.loads(path.read_text(encoding="utf-8")).get("status")
    except (OSError, ValueError, AttributeError) as error:
        return [f"{mode} run: no readable {path.name} ({error.__class__.__name__})"]
    if status != expected:
        return [f"{mode} run: {path.name} says status {status!r}, expected {expected!r}"]
    return []


def written_files(directory: Path, plan: Plan, since: float) -> list:
    """The files a run wrote: not its log, nor the files the example gave."""
    return [path for path in directory.rglob("*")
            if path.is_file() and path.suffix != ".log" and path.name != "ansible.cfg"
            and str(path.relative_to(directory)) not in plan.files and path.stat().st_mtime >= since]


def leaks(output: str, secret_values: list, written: list, mode: str) -> list:
    """Secrets found in the output of a run or in a file it wrote."""
    problems = []
    for secret in secret_values:
        if secret in output:
            problems.append(f"a secret ({secret[:3]}...) appears in the output of the {mode} run")
        problems += [f"a secret ({secret[:3]}...) appears in {path.name}, written by the {mode} run"
                     for path in written if secret in path.read_text(encoding="utf-8", errors="replace")]
    return problems


def digest(output: str) -> str:
    """The error lines of ansible-playbook's output, or its last lines when there are none."""
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("[ERROR]", "fatal:", "failed:", "ERROR!"))]
    return textwrap.indent("\n".join(errors[:DIGEST_LINES] or lines[-DIGEST_LINES:]), "    | ")
