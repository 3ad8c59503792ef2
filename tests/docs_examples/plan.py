"""Turn classified examples into runs: the files each needs, what runs before it, seeds and secrets."""
from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from .blocks import ExampleError
from .classify import Example, ansible_playbook_commands, is_play
from .run import Plan, api_tokens_in, loaded_by_playbook, parse_seeds, secrets_in, wrap_tasks

REPORT_STATUSES = ("clean", "drift", "error")
SHELL_OPERATORS = ("||", "&&", ";", "|")
MODULE_FIXTURES = Path(__file__).with_name("module_examples.yml")


class Planner:
    def __init__(self, examples: list) -> None:
        self.examples = examples
        self.fixtures = yaml.safe_load(MODULE_FIXTURES.read_text(encoding="utf-8"))

    def named(self, example: Example, name: str, kinds: tuple) -> Example:
        """The example with file=NAME of the same document, else of any document."""
        candidates = [other for other in self.examples if other.options.get("file") == name and other.kind in kinds]
        same_document = [other for other in candidates if other.block.path == example.block.path]
        if not candidates:
            raise example.error(f"no {' or '.join(kinds)} example is marked file={name}")
        return (same_document or candidates)[0]

    def plan(self, example: Example, chain: list | None = None) -> Plan:
        chain = chain or []
        if example.kind == "module":
            return self._module_plan(example)
        if example.kind == "ci":
            return self._ci_plan(example)
        vars_examples = [self.named(example, name, ("vars",))
                         for name in _names(example.options.get("vars", ""))]
        plan = Plan(example, example.options.get("file", "example.yml"))
        if example.kind == "vars":
            plan.playbook = example.options["run"]
            plan.expected_report = _report_status(example)
            vars_examples.insert(0, example)
        for before in _names(example.options.get("after", "")):
            if len(chain) > 10:
                raise example.error(f"after={before}: the examples run after each other in a circle")
            prerequisite = self.plan(self.named(example, before, ("playbook", "tasks")), chain + [example])
            plan.before += prerequisite.before + [[prerequisite.playbook, *prerequisite.extra_args]]
            plan.files.update(prerequisite.files)
            plan.seeds += prerequisite.seeds
            plan.secrets += prerequisite.secrets
            plan.tokens += prerequisite.tokens
        for vars_example in vars_examples:
            name = vars_example.options["file"]
            plan.files[name] = vars_example.block.text
            plan.secrets += secrets_in(vars_example.data)
            plan.tokens += api_tokens_in(vars_example.data)
        vars_names = [vars_example.options["file"] for vars_example in vars_examples]
        if example.kind == "tasks":
            plan.files[plan.playbook] = wrap_tasks(example.block.text, example.where,
                                                   [name for name in vars_names if not _loaded_by_ansible(name)])
        elif example.kind == "playbook":
            plan.files[plan.playbook] = example.block.text
            plan.extra_args = [f"-e@{name}" for name in vars_names if not loaded_by_playbook(example.data, name)]
        elif example.options.get("inventory") == "true":
            plan.extra_args = ["-i", vars_names[0], *(f"-e@{name}" for name in vars_names[1:])]
        else:
            plan.extra_args = [f"-e@{name}" for name in vars_names]
        plan.applications += _names(example.options.get("applications", ""))
        plan.seeds += parse_seeds(example.options["seed"]) if "seed" in example.options else []
        plan.expected_rc = _exit_status(example)
        plan.secrets = list(dict.fromkeys(plan.secrets))
        return plan

    def _ci_plan(self, example: Example) -> Plan:
        """A CI file's first ansible-playbook command, as it runs locally, with the files it loads (-e @, -i)."""
        commands = ansible_playbook_commands(example.data)
        if not commands:
            raise example.error("rc= on a CI example needs an ansible-playbook command to run")
        words = shlex.split(commands[0], comments=True)
        words = words[words.index("ansible-playbook") + 1:]
        words = words[:min([words.index(word) for word in SHELL_OPERATORS if word in words] + [len(words)])]
        plan = Plan(example, words[0], extra_args=words[1:], expected_rc=_exit_status(example))
        if words[0] == "losant.platform.drift_check":
            plan.expected_report = _report_status(example)
        loaded = [word[1:] for previous, word in zip([""] + words, words) if previous in ("-e", "--extra-vars")
                  and word.startswith("@")]
        loaded += [word for previous, word in zip([""] + words, words) if previous in ("-i", "--inventory")]
        for vars_example in (self.named(example, name, ("vars",)) for name in loaded):
            plan.files[vars_example.options["file"]] = vars_example.block.text
            plan.secrets += secrets_in(vars_example.data)
        return plan

    def _module_plan(self, example: Example) -> Plan:
        """A module's EXAMPLES in order: runs of tasks in a play on localhost, plays as they are."""
        module = Path(example.block.path).stem
        fixture = self.fixtures["modules"].get(module)
        if fixture is None:
            raise example.error(f"{MODULE_FIXTURES.name} has no entry for {module}")
        plays, tasks = [], []
        for item in example.data + [None]:
            if is_play(item) or item is None:
                if tasks:
                    plays.append({"name": f"EXAMPLES of {module}", "hosts": "localhost", "gather_facts": False,
                                  "tasks": tasks})
                    tasks = []
                if item is not None:
                    plays.append(item)
            else:
                tasks.append(item)
        variables = self.fixtures["vars"]
        return Plan(example, "examples.yml",
                    files={"examples.yml": yaml.safe_dump(plays, sort_keys=False),
                           "example_vars.yml": yaml.safe_dump(variables, sort_keys=False),
                           **fixture.get("files", {})},
                    extra_args=["-e@example_vars.yml"], seeds=fixture.get("seed", []),
                    applications=fixture.get("applications", []),
                    secrets=secrets_in(variables))


def _names(value: str) -> list:
    return [name.strip() for name in value.split(",") if name.strip()]


def _loaded_by_ansible(name: str) -> bool:
    return loaded_by_playbook([], name)


def _report_status(example: Example) -> str:
    value = example.options.get("report")
    if value not in REPORT_STATUSES:
        raise ExampleError(example.block.path, example.block.line,
                           f"run= needs report={'|'.join(REPORT_STATUSES)}: the status the report must say, "
                           "beside the exit status")
    return value


def _exit_status(example: Example) -> int:
    value = example.options.get("rc", "0")
    if not value.isdigit():
        raise ExampleError(example.block.path, example.block.line, f"rc={value}: an exit status is a number")
    return int(value)
