# -*- coding: utf-8 -*-
# Copyright: Contributors to the losant.platform collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The mutation score of cosmic-ray sessions: survivors listed, equivalent mutants set aside, one score line.

Usage: python report.py EQUIVALENT_YAML SESSION.sqlite...   (run from the collection copy)

A mutant is equivalent when EQUIVALENT_YAML has an entry with its file, operator and source line
(stripped), so entries survive edits elsewhere in the file; an entry with an occurrence N as well
is only the Nth mutant of that operator on that line, counted from 1, left to right (as the survivors
list shows it), for a line where one such mutant is equivalent and another is not. Incompetent mutants
(the code no longer imports) are not counted, nor duplicates that run.py skipped.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

import yaml
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkItem

UNRUN = 'no test runs this line'  # run.py's output for a mutant it did not run, as no test would see it


class Equivalents:
    """The reason for each equivalent mutant of EQUIVALENT_FILE."""

    def __init__(self, equivalent_file: str) -> None:
        self.reasons = {(entry['file'], entry['operator'], entry['line'].strip(), entry.get('occurrence')): entry['reason']
                        for entry in yaml.safe_load(Path(equivalent_file).read_text()) or []}

    def reason(self, path: str, operator: str, line: str, occurrence: int) -> Optional[str]:
        """Why the OCCURRENCE-th mutant of OPERATOR on LINE of PATH is equivalent; None when it is not."""
        return self.reasons.get((path, operator, line.strip(), occurrence)) or self.reasons.get((path, operator, line.strip(), None))


def occurrences(items: Iterable[WorkItem]) -> dict[str, int]:
    """Each mutant's place (1, 2, ...) among the mutants of its operator on its line, left to right, by job ID."""
    lines: dict[tuple[str, str, int], list[tuple[tuple[int, int], int, str]]] = {}
    for item in items:
        mutation = item.mutations[0]
        lines.setdefault((str(mutation.module_path), mutation.operator_name, mutation.start_pos[0]), []).append(
            (tuple(mutation.start_pos), mutation.occurrence, item.job_id))
    return {mutant[-1]: place for mutants in lines.values() for place, mutant in enumerate(sorted(mutants), 1)}


def main(equivalent_file: str, *sessions: str) -> int:
    equivalent = Equivalents(equivalent_file)
    tally: Counter[str] = Counter()
    by_file: dict[str, Counter[str]] = {}
    survivors = []
    for session in sessions:
        with use_db(session, WorkDB.Mode.open) as db:
            completed = list(db.completed_work_items)
            places = occurrences(item for item, result in completed)
            for item, result in completed:
                mutation = item.mutations[0]
                place = places[item.job_id]
                line_number = mutation.start_pos[0]
                line = Path(mutation.module_path).read_text().splitlines()[line_number - 1]
                if result.worker_outcome == WorkerOutcome.SKIPPED:
                    outcome = 'duplicate'
                elif result.test_outcome == TestOutcome.INCOMPETENT:
                    outcome = 'incompetent'
                elif equivalent.reason(str(mutation.module_path), mutation.operator_name, line, place):
                    outcome = 'equivalent'
                elif result.test_outcome == TestOutcome.KILLED:
                    outcome = 'killed'
                else:
                    outcome = 'survived'
                    survivors.append('%s:%d: %s (%s, occurrence %d on the line): %s%s' % (
                        mutation.module_path, line_number, mutation.operator_name, item.job_id,
                        place, line.strip(), ' [no test runs it]' if result.output == UNRUN else ''))
                tally[outcome] += 1
                by_file.setdefault(str(mutation.module_path), Counter())[outcome] += 1
    for survivor in sorted(survivors):
        print('survived: ' + survivor)
    for path, counts in sorted(by_file.items()):
        print('%s: %s' % (path, score(counts)))
    print('%d equivalent mutants set aside, %d duplicates not run, %d incompetent'
          % (tally['equivalent'], tally['duplicate'], tally['incompetent']))
    print('mutation score: ' + score(tally))
    return 0


def score(counts: Counter[str]) -> str:
    total = counts['killed'] + counts['survived']
    return '%d%% (%d of %d killed)' % (100 * counts['killed'] // total if total else 100, counts['killed'], total)


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
