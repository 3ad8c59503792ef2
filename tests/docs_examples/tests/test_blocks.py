"""The extractor, the marker parser and the classifier, without running anything."""
from __future__ import annotations

import textwrap

import pytest

from tests.docs_examples.blocks import ExampleError, markdown_blocks, module_examples, parse_marker, rst_blocks
from tests.docs_examples.classify import check_static, classify
from tests.docs_examples.cli import main


def md(text: str) -> tuple:
    return markdown_blocks("doc.md", textwrap.dedent(text))


def rst(text: str) -> tuple:
    return rst_blocks("doc.rst", textwrap.dedent(text))


def only_block(found: tuple):
    blocks, errors = found
    assert not errors
    assert len(blocks) == 1
    return blocks[0]


def test_markdown_yaml_fences_with_their_lines_and_indentation():
    blocks, errors = md("""\
        # Title

        ```yaml
        a: 1
        ```

        ```bash
        echo not yaml
        ```

        1. In a list:

           ```yaml+jinja
           - name: x
             ansible.builtin.debug:
           ```
        ~~~yml
        b: 2
        ~~~
        """)
    assert not errors
    assert [(block.line, block.language, block.text) for block in blocks] == [
        (3, "yaml", "a: 1\n"),
        (13, "yaml+jinja", "- name: x\n  ansible.builtin.debug:\n"),
        (17, "yml", "b: 2\n"),
    ]


def test_rst_code_blocks_with_options_nesting_and_their_end():
    blocks, errors = rst("""\
        Text

        .. code-block:: yaml
           :caption: vars

           a: 1
             b: [2]

        Not code any more.

        term
           Definition:

           .. code-block:: yaml+jinja

              - name: nested
                ansible.builtin.debug:

           Back in the definition.

        .. code-block:: console

           $ not yaml
        """)
    assert not errors
    assert [(block.line, block.text, block.content_line) for block in blocks] == [
        (3, "a: 1\n  b: [2]\n", 6),
        (14, "- name: nested\n  ansible.builtin.debug:\n", 16),
    ]


def test_a_marker_applies_to_the_next_yaml_block_across_blank_lines():
    block = only_block(md("""\
        <!-- example: vars file=webhooks.yml skip="not yet, see #10" -->

        ```yaml
        a: 1
        ```
        """))
    assert (block.marker.kind, block.marker.options) == ("vars", {"file": "webhooks.yml", "skip": "not yet, see #10"})
    block = only_block(rst("""\
           .. example: tasks seed=orders:575ed78e7ae143cd83dc4aab

           .. code-block:: yaml

              - ansible.builtin.debug:
        """))
    assert block.marker.options == {"seed": "orders:575ed78e7ae143cd83dc4aab"}


@pytest.mark.parametrize("text", [
    "<!-- example: data -->\n\n```bash\necho\n```\n",
    "<!-- example: data -->\nA paragraph.\n\n```yaml\na: 1\n```\n",
    "```yaml\na: 1\n```\n<!-- example: data -->\n",
])
def test_a_marker_not_followed_by_a_yaml_block_is_an_error(text):
    blocks, errors = markdown_blocks("doc.md", text)
    assert [str(error) for error in errors] == [
        f"doc.md:{text.splitlines().index('<!-- example: data -->') + 1}: "
        "example marker not followed by a YAML code block"]
    assert all(block.marker is None for block in blocks)


@pytest.mark.parametrize("marker, message", [
    ("", "starts with its kind"),
    ("recipe", "starts with its kind"),
    ("data colour=blue", "unknown example marker key 'colour'"),
    ("data vars=x.yml", "'vars' does not apply to data examples"),
    ("tasks skip", "'skip' needs a reason"),
    ("tasks skip=", "'skip' needs a reason"),
    ('tasks skip=""', "'skip' needs a reason"),
    ("tasks rc=", "'rc' needs a value"),
    ('tasks skip="unterminated', "cannot parse"),
])
def test_bad_markers_are_errors_naming_the_line(marker, message):
    with pytest.raises(ExampleError, match=message) as raised:
        parse_marker(marker, "doc.md", 7)
    assert str(raised.value).startswith("doc.md:7: ")


def classify_md(text: str):
    return classify(only_block(md(text)))


@pytest.mark.parametrize("yaml_text, kind", [
    ("- hosts: localhost\n  tasks: []\n", "playbook"),
    ("- ansible.builtin.import_playbook: other.yml\n", "playbook"),
    ("- name: t\n  losant.platform.losant_webhook_info: {}\n  register: r\n", "tasks"),
    ("- block:\n    - ansible.builtin.debug:\n", "tasks"),
    ("a: 1\n", "data"),
    ("jobs:\n  drift:\n    runs-on: ubuntu-latest\n", "ci"),
    ("drift:\n  script: [ansible-playbook x.yml]\n", "ci"),
    ("env:\n  A: !unsafe '{{ a }}'\n", "data"),
])
def test_classification_by_content(yaml_text, kind):
    assert classify_md(f"```yaml\n{yaml_text}```\n").kind == kind


@pytest.mark.parametrize("yaml_text", [
    "just a string\n",
    "- one\n- two\n",
    "- hosts: localhost\n- ansible.builtin.debug:\n",
    "- name: two actions\n  ansible.builtin.debug:\n  ansible.builtin.fail:\n",
    "[]\n",
])
def test_an_unclassifiable_block_is_an_error_naming_file_and_line(yaml_text):
    with pytest.raises(ExampleError, match=r"^doc\.md:3: cannot classify"):
        classify_md(f"Text\n\n```yaml\n{yaml_text}```\n")


def test_a_marker_completes_or_contradicts_the_content():
    assert classify_md("<!-- example: vars file=w.yml -->\n```yaml\na: 1\n```\n").kind == "vars"
    with pytest.raises(ExampleError, match="the marker says playbook, but the example is not a list of plays"):
        classify_md("<!-- example: playbook -->\n```yaml\n- ansible.builtin.debug:\n```\n")
    with pytest.raises(ExampleError, match="needs file=NAME"):
        classify_md("<!-- example: vars -->\n```yaml\na: 1\n```\n")
    with pytest.raises(ExampleError, match="must be a mapping"):
        classify_md("<!-- example: vars file=a.yml -->\n```yaml\n- a\n```\n")


def test_a_yaml_error_names_the_line_in_the_document():
    with pytest.raises(ExampleError, match=r"^doc\.rst:7: the YAML example at line 1 does not parse"):
        classify(only_block(rst(".. code-block:: yaml\n\n   a: 1\n   b:\n     - c\n   d: [\n   e: }\n")))


def test_module_examples_are_one_block_that_may_mix_tasks_and_plays():
    source = 'DOCUMENTATION = ""\nEXAMPLES = r"""\n- name: t\n  a.b.c: {}\n\n- name: p\n  hosts: localhost\n"""\n'
    block = only_block(module_examples("plugins/modules/m.py", source))
    assert (block.line, block.content_line) == (2, 3)
    assert classify(block).kind == "module"
    assert module_examples("m.py", "X = 1\n")[1][0].args == ("m.py:1: the module has no EXAMPLES string",)


def test_ci_commands_must_name_shipped_playbooks_and_defined_vars_files(tmp_path):
    (tmp_path / "playbooks").mkdir()
    (tmp_path / "playbooks" / "drift_check.yml").write_text("---\n")
    ci = classify_md("```yaml\ndrift:\n  script:\n    - |\n      ansible-playbook losant.platform.drift_check \\\n"
                     "        -e @webhooks.yml\n    - ansible-playbook losant.platform.nope -i inventory.yml\n"
                     "    - ansible-playbook deploy.yml  # comment.yml\n```\n")
    assert check_static(ci, tmp_path, {}) == [
        "'ansible-playbook losant.platform.drift_check -e @webhooks.yml' loads webhooks.yml, "
        "which no vars example (file=webhooks.yml) defines",
        "'ansible-playbook losant.platform.nope -i inventory.yml' runs losant.platform.nope, "
        "which the collection does not ship",
        "'ansible-playbook deploy.yml' runs deploy.yml, which no example (file=deploy.yml) defines",
    ]
    assert check_static(ci, tmp_path, {"webhooks.yml": None, "deploy.yml": None}) == [
        "'ansible-playbook losant.platform.nope -i inventory.yml' runs losant.platform.nope, "
        "which the collection does not ship"]


def test_same_as_compares_with_the_repository_file(tmp_path):
    (tmp_path / "ee.yml").write_text("---\n# comments do not count\nversion: 3\n")
    assert not check_static(classify_md("<!-- example: data same_as=ee.yml -->\n```yaml\nversion: 3\n```\n"),
                            tmp_path, {})
    assert check_static(classify_md("<!-- example: data same_as=ee.yml -->\n```yaml\nversion: 4\n```\n"),
                        tmp_path, {}) == ["differs from ee.yml, which it shows"]
    assert check_static(classify_md("<!-- example: data same_as=gone.yml -->\n```yaml\nversion: 4\n```\n"),
                        tmp_path, {}) == ["same_as=gone.yml: no such file in the repository"]


def test_the_step_fails_on_an_unclassifiable_block_and_lists_skips(tmp_path, capsys):
    (tmp_path / "doc.md").write_text("<!-- example: tasks skip=\"needs AWX\" -->\n```yaml\n- awx.awx.x: {}\n```\n\n"
                                     "```yaml\n- one\n```\n")
    assert main(["--root", str(tmp_path), "--list", "doc.md"]) == 1
    output = capsys.readouterr().out
    assert "SKIP doc.md:2 (tasks): needs AWX" in output
    assert "FAIL doc.md:6: cannot classify" in output
    (tmp_path / "doc.md").write_text("```yaml\na: 1\n```\n")
    assert main(["--root", str(tmp_path), "--list", "doc.md"]) == 0
