"""Find the YAML code blocks of Markdown and reStructuredText documents and of modules' EXAMPLES,
with the example marker before each (see __init__.py for the convention)."""
from __future__ import annotations

import ast
import re
import shlex
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

YAML_LANGUAGES = ("yaml", "yaml+jinja", "yml")
KINDS = ("playbook", "tasks", "vars", "ci", "data")
# What each marker key applies to; values are checked where they are used (classify.py, run.py).
MARKER_KEYS = {
    "file": KINDS,
    "vars": ("playbook", "tasks"),
    "after": ("playbook", "tasks"),
    "seed": ("playbook", "tasks", "vars"),
    "rc": ("playbook", "tasks", "vars", "ci"),
    "run": ("vars",),
    "report": ("vars", "ci"),
    "inventory": ("vars",),
    "applications": ("playbook", "tasks", "vars"),
    "same_as": ("vars", "ci", "data"),
    "skip": KINDS,
}

MD_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")
MD_MARKER = re.compile(r"^\s*<!--\s*example:(?P<rest>.*?)-->\s*$")
RST_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\. (?:code-block|code|sourcecode)::\s*(?P<language>\S*)\s*$")
RST_MARKER = re.compile(r"^\s*\.\. example:(?P<rest>.*)$")


class ExampleError(Exception):
    """A problem with one block, reported as PATH:LINE: message."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line = path, line


@dataclass
class Marker:
    kind: str
    options: dict = field(default_factory=dict)


@dataclass
class Block:
    path: str            # relative to the repository root
    line: int            # the line of the fence or directive
    language: str
    text: str            # the block's content, dedented
    content_line: int    # the document line of the text's first line
    marker: Marker | None = None
    module_examples: bool = False

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def parse_marker(text: str, path: str, line: int) -> Marker:
    """``KIND key=value ...``: values with spaces in double quotes; skip needs a reason."""
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise ExampleError(path, line, f"cannot parse the example marker: {error}") from error
    if not words or words[0] not in KINDS:
        raise ExampleError(path, line, f"an example marker starts with its kind, one of {', '.join(KINDS)}; "
                           f"got {text.strip()!r}")
    kind, options = words[0], {}
    for word in words[1:]:
        key, equals, value = word.partition("=")
        if key not in MARKER_KEYS:
            raise ExampleError(path, line, f"unknown example marker key {key!r}; known: {', '.join(MARKER_KEYS)}")
        if kind not in MARKER_KEYS[key]:
            raise ExampleError(path, line, f"marker key {key!r} does not apply to {kind} examples")
        if not equals or not value.strip():
            what = "a reason" if key == "skip" else "a value"
            raise ExampleError(path, line, f"marker key {key!r} needs {what}: {key}=\"...\"")
        options[key] = value.strip()
    return Marker(kind, options)


class _Scanner:
    """Pairs markers with the YAML blocks that follow them, and reports markers left dangling."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.errors: list[ExampleError] = []
        self.pending: tuple[int, Marker] | None = None

    def marker(self, text: str, line: int) -> None:
        self.dangling()
        try:
            self.pending = (line, parse_marker(text, self.path, line))
        except ExampleError as error:
            self.errors.append(error)

    def other_line(self, text: str) -> None:
        if text.strip():
            self.dangling()

    def block(self, line: int, language: str, lines: list, content_line: int) -> None:
        marker = self.pending[1] if self.pending else None
        if language.lower() not in YAML_LANGUAGES:
            self.dangling()
            return
        self.pending = None
        text = textwrap.dedent("\n".join(lines)).strip("\n") + "\n"
        self.blocks.append(Block(self.path, line, language, text, content_line, marker))

    def dangling(self) -> None:
        if self.pending:
            self.errors.append(ExampleError(self.path, self.pending[0],
                                            "example marker not followed by a YAML code block"))
            self.pending = None


def _scan(path: str, text: str, marker_pattern: re.Pattern, block_pattern: re.Pattern, read_block) -> tuple:
    """Markers and blocks line by line; read_block(lines, index, match) gives the block's language,
    lines, index of its first content line, and index of its last line."""
    scanner, lines, index = _Scanner(path), text.splitlines(), 0
    while index < len(lines):
        marker, start = marker_pattern.match(lines[index]), block_pattern.match(lines[index])
        if marker:
            scanner.marker(marker["rest"], index + 1)
        elif start:
            language, body, content_index, last = read_block(lines, index, start)
            scanner.block(index + 1, language, body, content_index + 1)
            index = last
        else:
            scanner.other_line(lines[index])
        index += 1
    scanner.dangling()
    return scanner.blocks, scanner.errors


def _markdown_fence(lines: list, index: int, fence: re.Match) -> tuple:
    close, indent, end = fence["fence"], len(fence["indent"]), index + 1
    while end < len(lines) and not _closes(lines[end], close):
        end += 1
    body = [_strip_indent(line, indent) for line in lines[index + 1:end]]
    return (fence["info"].split() or [""])[0], body, index + 1, end


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and set(stripped) == {fence[0]}


def _strip_indent(line: str, indent: int) -> str:
    return line[min(indent, len(line) - len(line.lstrip(" "))):]


def _rst_directive(lines: list, index: int, directive: re.Match) -> tuple:
    indent, end = len(directive["indent"]), index + 1
    while end < len(lines) and lines[end].strip().startswith(":") and _indent(lines[end]) > indent:
        end += 1  # directive options
    start = end
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    while start < end and not lines[start].strip():
        start += 1
    return directive["language"], lines[start:end], start, end - 1


def markdown_blocks(path: str, text: str) -> tuple:
    return _scan(path, text, MD_MARKER, MD_FENCE, _markdown_fence)


def rst_blocks(path: str, text: str) -> tuple:
    return _scan(path, text, RST_MARKER, RST_DIRECTIVE, _rst_directive)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def module_examples(path: str, source: str) -> tuple:
    """The EXAMPLES string of a module, as one block (it may mix tasks and plays)."""
    for node in ast.parse(source).body:
        if (isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "EXAMPLES" for target in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            text = node.value.value
            leading = len(text) - len(text.lstrip("\n"))
            block = Block(path, node.lineno, "yaml", textwrap.dedent(text).strip("\n") + "\n",
                          node.lineno + leading, module_examples=True)
            return [block], []
    return [], [ExampleError(path, 1, "the module has no EXAMPLES string")]


def find_blocks(root: Path, paths: list) -> tuple:
    """Every YAML block of the given files (relative to root), and the marker errors found."""
    readers = {".md": markdown_blocks, ".rst": rst_blocks, ".py": module_examples}
    blocks, errors = [], []
    for path in paths:
        reader = readers[Path(path).suffix]
        found, problems = reader(str(path), (root / path).read_text(encoding="utf-8"))
        blocks += found
        errors += problems
    return blocks, errors


def default_paths(root: Path) -> list:
    """README.md, the Markdown and reStructuredText files under docs/, and the modules."""
    docs = [path for suffix in ("md", "rst") for path in (root / "docs").rglob(f"*.{suffix}")
            if "build" not in path.relative_to(root / "docs").parts[:1]]
    modules = (root / "plugins" / "modules").glob("*.py")
    return [Path("README.md")] + sorted(path.relative_to(root) for path in [*docs, *modules]
                                        if path.name != "__init__.py")
