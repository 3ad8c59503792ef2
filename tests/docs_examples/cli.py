"""``python -m tests.docs_examples [--list] [FILE...]``: extract, classify, check and run every example."""
from __future__ import annotations

import argparse
import concurrent.futures
import queue
import shutil
import sys
import time
from pathlib import Path

from .blocks import ExampleError, default_paths, find_blocks
from .classify import check_static, classify
from .plan import Planner
from .run import Emulator, Plan, Runner

ROOT = Path(__file__).resolve().parents[2]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.docs_examples", description=__doc__)
    parser.add_argument("files", nargs="*", type=Path,
                        help="files relative to --root (default: README.md, docs/**/*.md|rst, plugins/modules/*.py)")
    parser.add_argument("--root", type=Path, default=ROOT, help="where the files are (default: the repository)")
    parser.add_argument("--list", action="store_true", help="classify and check, run nothing")
    parser.add_argument("--collections-path", type=Path, default=ROOT / ".tmp",
                        help="ANSIBLE_COLLECTIONS_PATH for the runs (default: .tmp, where make sync copies it)")
    parser.add_argument("--ansible-playbook", default=str(Path(sys.executable).with_name("ansible-playbook")),
                        help="the ansible-playbook to run (default: the one next to this Python)")
    parser.add_argument("--work", type=Path, default=ROOT / ".tmp" / "docs-examples",
                        help="work directories of the runs, with their logs (emptied first)")
    parser.add_argument("--jobs", type=int, default=2, help="examples run at once, each on its own emulator")
    return parser


def main(argv: list | None = None) -> int:
    args = build_parser().parse_args(argv)
    root = args.root.resolve()
    blocks, errors = find_blocks(root, args.files or default_paths(root))
    examples = []
    for block in blocks:
        try:
            examples.append(classify(block))
        except ExampleError as error:
            errors.append(error)
    files = {example.options["file"]: example for example in examples if "file" in example.options}
    for example in examples:
        errors += [example.error(problem) for problem in check_static(example, root, files)]
    skipped = [example for example in examples if "skip" in example.options]
    runnable = [example for example in examples if example.runnable and example not in skipped]
    planner = Planner(examples)
    plans = []
    for example in runnable:
        try:
            plans.append(planner.plan(example))
        except ExampleError as error:
            errors.append(error)
    counts = {kind: sum(example.kind == kind for example in examples)
              for kind in ("playbook", "tasks", "module", "vars", "ci", "data")}
    print(f"{len(blocks)} YAML blocks in {len({block.path for block in blocks})} files: "
          + ", ".join(f"{count} {kind}" for kind, count in counts.items() if count))
    for example in skipped:
        print(f"SKIP {example.where} ({example.kind}): {example.options['skip']}")
    if not args.list:
        errors += run_all(args, plans)
    for error in errors:
        print(f"FAIL {error}")
    print(f"{len(plans)} examples {'to run' if args.list else 'run'} (normal and --check --diff), "
          f"{len(skipped)} skipped, {len(examples) - len(plans) - len(skipped)} checked without running, "
          f"{len(errors)} failures")
    return 1 if errors else 0


def run_all(args: argparse.Namespace, plans: list) -> list:
    """Every plan, on --jobs emulators at once; results printed as they come, failures in document order."""
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    runner = Runner(args.ansible_playbook, args.collections_path.resolve(), args.work)
    emulators: queue.Queue = queue.Queue()
    for emulator in [Emulator() for job in range(args.jobs)]:
        emulators.put(emulator)

    def run(index: int, plan: Plan) -> list:
        emulator = emulators.get()
        try:
            outcomes = runner.run(plan, index, emulator)
        finally:
            emulators.put(emulator)
        problems = [problem for outcome in outcomes for problem in outcome.problems]
        timing = ", ".join(f"{outcome.mode} {outcome.seconds:.1f} s" for outcome in outcomes)
        print(f"{'ok  ' if not problems else 'FAIL'} {plan.example.where} ({plan.example.kind}): {timing}",
              flush=True)
        return [plan.example.error(problem) for problem in problems]

    start = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            errors = [error for found in pool.map(run, range(len(plans)), plans) for error in found]
    finally:
        while not emulators.empty():
            emulators.get().stop()
    print(f"ran {len(plans)} examples in {time.monotonic() - start:.0f} s on {args.jobs} emulators")
    return errors
