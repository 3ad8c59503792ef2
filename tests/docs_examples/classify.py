"""Parse a block and decide what kind of example it is (see __init__.py for the rules)."""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ansible.playbook.block import Block as AnsibleBlock
from ansible.playbook.task import Task

from .blocks import Block, ExampleError

# Keys of a task that are not its action: ansible-core's Task and Block keywords, and local_action.
TASK_KEYWORDS = frozenset(Task.fattributes) | frozenset(AnsibleBlock.fattributes) | {"local_action"}
PLAY_KEYS = frozenset(("hosts", "import_playbook", "ansible.builtin.import_playbook"))
PLAYBOOK_WORD = re.compile(r"^(?:losant\.platform\.\w+|[\w./-]+\.ya?ml)$")


class _Loader(yaml.SafeLoader):
    """Safe loading that also accepts Ansible's and CI systems' tags (!unsafe, !vault, !reference)."""


def _any_tag(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)


_Loader.add_multi_constructor("!", _any_tag)


@dataclass
class Example:
    block: Block
    kind: str                 # playbook, tasks, vars, ci, data, or module (a module's EXAMPLES)
    data: Any
    options: dict = field(default_factory=dict)

    @property
    def where(self) -> str:
        return self.block.where

    @property
    def runnable(self) -> bool:
        return self.kind in ("playbook", "tasks", "module") or "run" in self.options or (
            self.kind == "ci" and "rc" in self.options)

    def error(self, message: str) -> ExampleError:
        return ExampleError(self.block.path, self.block.line, message)


def parse(block: Block) -> Any:
    try:
        return yaml.load(block.text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = block.content_line + mark.line if mark else block.line
        raise ExampleError(block.path, line, f"the YAML example at line {block.line} does not parse: "
                           f"{getattr(error, 'problem', None) or error}") from error


def is_play(item: Any) -> bool:
    return isinstance(item, dict) and bool(PLAY_KEYS & set(item))


def is_task(item: Any) -> bool:
    if not isinstance(item, dict) or is_play(item):
        return False
    if "block" in item:
        return True
    actions = [key for key in item if key not in TASK_KEYWORDS and not str(key).startswith("with_")]
    return len(actions) == 1


def is_ci(data: Any) -> bool:
    """A GitHub Actions workflow (jobs), or a GitLab CI file (stages, or jobs with a script)."""
    return isinstance(data, dict) and ("jobs" in data or "stages" in data or any(
        isinstance(value, dict) and "script" in value for value in data.values()))


def content_kind(data: Any, module_examples: bool) -> str | None:
    if isinstance(data, dict):
        return "ci" if is_ci(data) else "data"
    if not isinstance(data, list) or not data:
        return None
    if module_examples:
        return "module" if all(is_play(item) or is_task(item) for item in data) else None
    if all(is_play(item) for item in data):
        return "playbook"
    if all(is_task(item) for item in data):
        return "tasks"
    return None


def classify(block: Block) -> Example:
    data = parse(block)
    found = content_kind(data, block.module_examples)
    marker = block.marker
    kind = marker.kind if marker else found
    options = dict(marker.options) if marker else {}
    if kind is None:
        raise ExampleError(block.path, block.line, "cannot classify this YAML example: it is neither a list of "
                           "plays, a list of tasks nor a mapping; add a marker naming its kind "
                           "(<!-- example: KIND --> or .. example: KIND)")
    example = Example(block, kind, data, options)
    if kind in ("playbook", "tasks") and found != kind and "skip" not in options:
        raise example.error(f"the marker says {kind}, but the example is not a list of "
                            f"{'plays' if kind == 'playbook' else 'tasks'}")
    if kind == "vars" and not isinstance(data, dict):
        raise example.error("a vars example must be a mapping")
    if kind == "vars" and "file" not in options:
        raise example.error("a vars example needs file=NAME: the name the examples using it load it as")
    return example


def check_static(example: Example, root: Path, files: dict) -> list:
    """What can be checked without running: same_as, and the playbooks and vars files CI commands name."""
    problems = []
    same_as = example.options.get("same_as")
    if same_as:
        target = root / same_as
        if not target.is_file():
            problems.append(f"same_as={same_as}: no such file in the repository")
        elif yaml.load(target.read_text(encoding="utf-8"), Loader=_Loader) != example.data:
            problems.append(f"differs from {same_as}, which it shows")
    if example.kind == "ci":
        problems += [problem for command in ansible_playbook_commands(example.data)
                     for problem in _check_command(command, root, files)]
    return problems


def ansible_playbook_commands(data: Any) -> list:
    """The ansible-playbook command lines in every string of a CI file, continuation lines joined."""
    if isinstance(data, dict):
        return [command for value in data.values() for command in ansible_playbook_commands(value)]
    if isinstance(data, list):
        return [command for value in data for command in ansible_playbook_commands(value)]
    if not isinstance(data, str):
        return []
    lines = data.replace("\\\n", " ").splitlines()
    return [" ".join(line.split()) for line in lines if "ansible-playbook" in line.split("#")[0]]


def _check_command(command: str, root: Path, files: dict) -> list:
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        words = command.split()
    words = words[words.index("ansible-playbook") + 1:] if "ansible-playbook" in words else []
    problems = []
    for previous, word in zip([""] + words, words):
        if word.startswith("@") and previous in ("-e", "--extra-vars"):
            name = word[1:]
            if name not in files and not (root / name).is_file():
                problems.append(f"{command!r} loads {name}, which no vars example (file={name}) defines")
        elif PLAYBOOK_WORD.match(word) and previous not in ("-i", "--inventory", "-e", "--extra-vars"):
            if word.startswith("losant.platform."):
                if not (root / "playbooks" / f"{word.split('.')[-1]}.yml").is_file():
                    problems.append(f"{command!r} runs {word}, which the collection does not ship")
            elif word not in files:
                problems.append(f"{command!r} runs {word}, which no example (file={word}) defines")
    return problems
