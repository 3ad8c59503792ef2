"""Every YAML example of the documentation, run against the emulator: ``make docs-examples``.

What is an example: each ```yaml, ```yaml+jinja (or ```yml) block of README.md and of the Markdown
files under docs/, each ``.. code-block:: yaml`` / ``yaml+jinja`` of the reStructuredText files under
docs/ (at any indentation), and the EXAMPLES of every module in plugins/modules/.

What it is, by content:

- a list of plays (items with ``hosts:``): a playbook, run as it is;
- a list of tasks (items with one action key, or ``block:``): run in a play on localhost;
- a module's EXAMPLES (tasks and plays mixed): its tasks in plays on localhost, its plays as they
  are, in order, with the variables, webhooks and files of module_examples.yml;
- a CI file (a mapping with ``jobs``, ``stages`` or jobs with a ``script``): parsed, and every
  ``ansible-playbook`` command in it must run a playbook the collection ships or an example defines
  (``file=``) and load only vars files an example defines; with ``rc=`` its first ``ansible-playbook``
  command runs, as the CI job would run it, with those files (and ``report=`` for the drift check);
- any other mapping: data, parsed only;
- anything else fails, naming the file and line: give it a marker.

A marker overrides or completes that: in Markdown an HTML comment on a line before the fence,
``<!-- example: KIND key=value ... -->``; in reStructuredText a comment before the directive,
``.. example: KIND key=value ...`` (blank lines between are fine; anything else between is an error,
as is a marker followed by no YAML block). KIND is playbook, tasks, vars, ci or data. Values with
spaces go in double quotes. Keys:

- ``file=NAME``: vars and data: the file name other examples load it as; playbook and tasks: the
  name it is saved as, which ``after=`` and CI commands use. A vars block needs one.
- ``vars=A,B``: playbook and tasks: vars blocks (by their ``file=``, same document first) written
  next to it. A playbook that does not load one itself (``vars_files``, ``group_vars/``,
  ``host_vars/``) gets it as ``-e @A``; a task list gets it in its play's ``vars_files``.
- ``after=NAME``: playbook and tasks: run that example first, normally, in the same emulator state
  (e.g. the deployment before a drift check that should find none).
- ``seed=NAME[:ID],...``: webhooks the application holds before the run (platform defaults).
- ``rc=N``: the exit status both runs must end with (default 0): for an example that shows a failure. On a
  CI example it runs the first ``ansible-playbook`` command of the file.
- ``run=PLAYBOOK``: vars only: run that playbook (``losant.platform.drift_check``) with ``-e @FILE``.
- ``report=clean|drift|error``: with ``run=``, required: the status the drift report (losant-drift.json)
  must hold after each run, beside the exit status.
- ``inventory=true``: with ``run=``: the block is an inventory, run with ``-i FILE`` instead of ``-e @FILE``.
- ``applications=ID,...``: more applications the emulator holds (empty), beside 575ec8687ae143cd83dc4a97.
- ``same_as=PATH``: vars, data and ci: the block must parse equal to that file of the repository.
- ``skip="REASON"``: not run (still parsed and classified); the reason is printed with the skip.

How each runnable example runs: in its own directory under .tmp/docs-examples/ (logs kept), with
ansible-core 2.21 (the ansible-playbook next to the Python running this), the collection copy of
``make sync`` on ANSIBLE_COLLECTIONS_PATH and LOSANT_API_URL/LOSANT_API_TOKEN of an emulator served
from a thread of this process. First normally, then with ``--check --diff``, each time from a fresh
emulator (reset through its admin API) holding the application 575ec8687ae143cd83dc4a97, a token
for it, the tokens that vars examples give as ``*api_token``, and the seeded webhooks; files the
normal run wrote stay for the check run, which runs with -vvv (the normal one with -v). A run fails on an exit status other
than the expected one, and when the emulator's token, a token or a secret-named value
(password, verification_code, token, secret) of the vars it used appears in its output or in a
file it wrote. Proxies point at a closed port for every host but 127.0.0.1, so an example that
names another API fails instead of reaching it. ``--jobs`` (default 2) examples run at once, each
on its own emulator.
"""
