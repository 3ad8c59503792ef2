# losant.platform: set-up, tests and demo. `make help` lists the targets.
#
# Every target installs what it needs into .venv/ (one virtual environment per purpose, rebuilt
# only when its requirements file changes) and works on a copy of the collection in
# .tmp/ansible_collections/losant/platform, made from the files git tracks or would track.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:

# Pythons: X.Y is installed when pyenv has it (the newest X.Y.Z in $(PYENV_VERSIONS)), or uv
# (`uv python install`, in $(UV_PYTHONS)), or pythonX.Y is on the PATH. Steps that need one that is
# missing stop with what to install (see `python` below).
PYENV_VERSIONS ?= $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions
UV_PYTHONS ?= $(or $(UV_PYTHON_INSTALL_DIR),$(or $(XDG_DATA_HOME),$(HOME)/.local/share)/uv/python)
export PYENV_VERSIONS UV_PYTHONS
# (uv's free-threaded builds, cpython-X.Y.Z+freethreaded-*, are not for ansible-core)
newest_in = $(lastword $(sort $(foreach path,$(wildcard $(1)),$(if $(findstring +freethreaded,$(path)),,$(path)))))
python_path = $(or $(call newest_in,$(PYENV_VERSIONS)/$(1).*/bin/python$(1)),$(call newest_in,$(UV_PYTHONS)/cpython-$(1).*/bin/python$(1)),$(shell command -v python$(1)))
first_installed = $(firstword $(foreach version,$(1),$(if $(call python_path,$(version)),$(version))))

# ansible-core versions tested: each line of the support range that behaves differently for the
# collection, the oldest first and the newest (a release candidate until its release) last: 2.16 the
# oldest supported, 2.19 the first with data tagging and serialization profiles, 2.21 the task result
# object, 2.22 the next. plugins/plugin_utils/in_process.py lists the same minors, the only ones it
# runs modules in-process on (CONTRIBUTING.md, "Adding an ansible-core version"). Each runs on the
# first installed Python of its list: controller Pythons it supports, the one CI uses first.
CORES := 2.16 2.19 2.21 2.22
PYTHONS_FOR_2.16 := 3.11 3.12 3.10
PYTHONS_FOR_2.19 := 3.12 3.11 3.13
PYTHONS_FOR_2.21 := 3.13 3.12
PYTHONS_FOR_2.22 := 3.13 3.12 3.14
$(foreach core,$(CORES),$(eval PYTHON_FOR_$(core) = $$(call controller_python,$(core))))
# The oldest Python the modules support (tests/config.yml): compile and import sanity tests only,
# run by the oldest ansible-core.
OLDEST_MODULE_PYTHON := 3.9
OLDEST_CORE := $(firstword $(CORES))
NEWEST_CORE := $(lastword $(CORES))
# make test runs every integration target on the oldest and the newest core, and on those between
# (integration-X.Y-subset) the targets whose outcome depends on ansible-core: the in-process runner's
# branches (in_process), templating and native types in drift_check's reports, and no_log masking and
# diff output at every verbosity (losant_webhook). The others run the collection's own code, which the
# unit tests run on every core.
CORE_DEPENDENT_TARGETS := in_process drift_check losant_webhook
SUBSET_CORES := $(filter-out $(OLDEST_CORE) $(NEWEST_CORE),$(CORES))
# The integration targets with modules run as processes (integration-X.Y-module): on the oldest and
# the newest only, where that path differs most; and only the targets whose outcome depends on how a
# module runs (arguments, check mode, diff, no_log masking, warnings, the task's environment, result
# parsing): the three modules' own targets, and losant_connection for the TLS options and CA-bundle
# variables of the task's environment. Not drift_check and export: their playbooks run in
# ansible-playbook processes of their own, which losant_in_process never reaches, so they would run
# as in integration-X.Y; nor in_process, which sets the variable itself and compares both ways.
MODULE_PROCESS_CORES := $(OLDEST_CORE) $(NEWEST_CORE)
MODULE_PROCESS_TARGETS := losant_webhook losant_webhooks losant_webhook_info losant_connection
# Sanity checks the code, not its behaviour: on the oldest and the newest release. Not on 2.22.0rc1,
# whose ansible-test installs pylint's dill from a GitHub archive, which a machine with only a
# package index (as here) cannot fetch.
SANITY_CORES := $(OLDEST_CORE) 2.21
# Linters, docs and the build use ansible-core 2.21 (tests/requirements-lint.txt).
PYTHONS_FOR_TOOLS := 3.13 3.12
PYTHONS_FOR_EMULATOR := 3.11 3.12 3.13 3.10

# make demo: the newest installed Python 3.10 or later (or DEMO_PYTHON=X.Y), with the newest
# ansible-core that supports it as a controller (demo/requirements-ansible-*.txt).
DEMO_PYTHONS := 3.14 3.13 3.12 3.11 3.10
DEMO_PYTHON := $(call first_installed,$(DEMO_PYTHONS))
DEMO_CORE_FOR_3.10 := 2.17
DEMO_CORE_FOR_3.11 := 2.19
DEMO_CORE := $(or $(DEMO_CORE_FOR_$(DEMO_PYTHON)),2.21)

# $(call python,CANDIDATES,WHAT): the interpreter of the first installed Python of CANDIDATES, or
# stop saying what is missing and how to install it. scripts/run-steps.sh (make test) reports a
# step stopped by this "missing Python" message as skipped, or as failed with STRICT=1.
python = $(if $(call first_installed,$(1)),$(call python_path,$(call first_installed,$(1))),$(error $(call missing_python,$(1),$(2))))
# $(call controller_python,CORE): the Python X.Y that runs ansible-core CORE, or stop likewise.
controller_python = $(or $(call first_installed,$(PYTHONS_FOR_$(1))),$(error $(call missing_python,$(PYTHONS_FOR_$(1)),ansible-core $(1))))
comma := ,
alternatives = $(if $(word 2,$(1)), (or $(subst $() ,$(comma) ,$(wordlist 2,9,$(1)))))
missing_python = missing Python: Python $(firstword $(1))$(call alternatives,$(1)) for $(2) \
    is not installed (looked in $(PYENV_VERSIONS), $(UV_PYTHONS) and on the PATH). Install it with: \
    $(shell scripts/python-advice.sh $(firstword $(1))) ; then run make again
# For make help: where Pythons come from, and which each ansible-core version gets.
found_dir = $(if $(wildcard $(1)),$(1),none: $(1) does not exist)
python_found = $(if $(call first_installed,$(1)),Python $(call first_installed,$(1)) ($(call python_path,$(call first_installed,$(1)))),$(strip \
    )MISSING: Python $(firstword $(1))$(call alternatives,$(1)); install with: $(shell scripts/python-advice.sh $(firstword $(1))))

COLLECTION := .tmp/ansible_collections/losant/platform
DEMO_PLAYBOOK ?= demo/demo.yml
PIP_INSTALL := pip install --quiet --quiet --disable-pip-version-check

# What make test runs, in this order: append new steps here, within its budget of 35 minutes warm
# on a 2-core machine (CONTRIBUTING.md, "What make test costs", has each step's cost).
TEST_STEPS := lint-docs lint-ansible build-check docs demo emulator-test ecosystem-test \
              $(addprefix sanity-,$(SANITY_CORES)) sanity-py$(OLDEST_MODULE_PYTHON) \
              $(addprefix units-,$(CORES)) $(addprefix integration-,$(OLDEST_CORE) $(NEWEST_CORE)) \
              $(addsuffix -subset,$(addprefix integration-,$(SUBSET_CORES))) \
              contract-emulator $(addsuffix -module,$(addprefix integration-,$(MODULE_PROCESS_CORES))) \
              integration-personalities docs-examples runner-test

.PHONY: help bench bench-full mutation test sanity units integration lint lint-docs lint-ansible emulator-test contract contract-emulator ecosystem-test \
        build build-check docs demo sync clean distclean $(TEST_STEPS) \
        $(addprefix sanity-,$(CORES)) $(addsuffix -module,$(addprefix integration-,$(CORES))) \
        $(addsuffix -subset,$(addprefix integration-,$(CORES)))

help:
	@echo "make test           everything below, one line per step, logs in .tmp/logs/; STRICT=1 (as CI"
	@echo "                    runs it) fails steps whose Python is missing instead of skipping them"
	@echo "make sanity         ansible-test sanity on ansible-core $(SANITY_CORES)"
	@echo "make units          ansible-test units on ansible-core $(CORES)"
	@echo "make integration    ansible-test integration against the emulator on ansible-core $(CORES)"
	@echo "make lint           antsibull-docs lint-collection-docs and ansible-lint (production profile)"
	@echo "make emulator-test  the emulator's own pytest suite"
	@echo "make contract       the API contract suite: the emulator under each personality, or a live"
	@echo "                    Losant application with LOSANT_API_URL/_TOKEN/_APPLICATION_ID (tests/contract)"
	@echo "make ecosystem-test execution environment metadata (ansible-builder create)"
	@echo "make runner-test    the drift check run by ansible-runner (the engine of AWX), with the AWX guide's credential"
	@echo "make docs           lint the docs and build the HTML documentation into docs/build/html/"
	@echo "make mutation       mutation score of the unit suite on plugins/ (or MUTATE=paths; never part of make test)"
	@echo "make bench          the speed goals on each of CORES (never part of make test; about 10 minutes"
	@echo "                    idle), rewrites the goals of docs/performance.md; narrow with CORES=\"2.16 2.22\""
	@echo "make bench-full     every benchmark section; rewrites docs/performance.md and .png"
	@echo "make build          build the collection tarball into .tmp/build/"
	@echo "make build-check    build, check the tarball's file list, install it, run ansible-doc on every module"
	@echo "make demo           run $(DEMO_PLAYBOOK) against a fresh emulator (Python $(or $(DEMO_PYTHON),3.10+ missing), ansible-core $(DEMO_CORE))"
	@echo "make sync           copy the collection to $(COLLECTION)"
	@echo "make clean          remove .tmp/ (copies, build output, test results)"
	@echo "make distclean      clean, and remove the virtual environments in .venv/"
	@echo "make integration-personalities  the cases each emulator personality affects, under it ($(PERSONALITY_CORE) only)"
	@echo "Single versions: sanity-2.19, units-2.21, integration-2.16, ... (any of $(CORES));"
	@echo "sanity-py$(OLDEST_MODULE_PYTHON): the modules' compile and import checks on Python $(OLDEST_MODULE_PYTHON) (ansible-core $(OLDEST_CORE))"
	@echo "make integration-$(NEWEST_CORE)-module   the integration targets whose outcome depends on how a module"
	@echo "                    runs, with modules run as processes, not in-process: $(MODULE_PROCESS_TARGETS)"
	@echo "                    (make test: on $(MODULE_PROCESS_CORES))"
	@echo "make integration-2.19-subset   the integration targets whose outcome depends on ansible-core:"
	@echo "                    $(CORE_DEPENDENT_TARGETS) (make test: on $(SUBSET_CORES))"
	@echo "make docs-examples  every YAML example of README.md, docs/ and the modules' EXAMPLES, run against the"
	@echo "                    emulator normally and with --check --diff (tests/docs_examples, ansible-core 2.21)"
	@echo
	@echo "Pythons, looked up in this order:"
	@echo "  pyenv's: $(call found_dir,$(PYENV_VERSIONS))$(if $(PYENV_ROOT),, (PYENV_ROOT is unset, pyenv's default))"
	@echo "  uv's:    $(call found_dir,$(UV_PYTHONS))"
	@echo "  pythonX.Y on the PATH"
	@$(foreach core,$(CORES),echo "  ansible-core $(core): $(call python_found,$(PYTHONS_FOR_$(core)))";)
	@echo "  the modules' oldest: $(call python_found,$(OLDEST_MODULE_PYTHON))"

# Runs every step even after a failure, so one run reports everything; fails if any step failed.
test:
	@MAKE='$(MAKE)' STRICT='$(STRICT)' scripts/run-steps.sh $(TEST_STEPS)

sanity: $(addprefix sanity-,$(SANITY_CORES))
units: $(addprefix units-,$(CORES))
integration: $(addprefix integration-,$(CORES))
lint: lint-docs lint-ansible

# --- virtual environments -----------------------------------------------------------------------

# $(call make_venv,PYTHON_CANDIDATES,WHAT_FOR,PIP_ARGUMENTS) in a recipe whose target is VENV/.installed*
define make_venv
rm -rf $(@D)
$(call python,$(1),$(2)) -m venv $(@D)
$(@D)/bin/$(PIP_INSTALL) $(3)
touch $@
endef

.venv/core-%/.installed: tests/requirements-ansible-%.txt
	$(call make_venv,$(PYTHONS_FOR_$*),ansible-core $*,-r $<)

.venv/tools/.installed: tests/requirements-lint.txt
	$(call make_venv,$(PYTHONS_FOR_TOOLS),the linters and the build (ansible-core 2.21),-r $<)

.venv/emulator/.installed: tests/emulator/requirements.txt
	$(call make_venv,$(PYTHONS_FOR_EMULATOR),the emulator's tests,-r $<)

.venv/mutation/.installed: tests/mutation/requirements.txt
	$(call make_venv,$(PYTHONS_FOR_TOOLS),mutation testing (ansible-core 2.21),-r $<)

.venv/ecosystem/.installed: tests/ecosystem/requirements.txt
	$(call make_venv,$(PYTHONS_FOR_TOOLS),ansible-builder,-r $<)

.venv/runner/.installed: tests/runner/requirements.txt
	$(call make_venv,$(PYTHONS_FOR_TOOLS),ansible-runner,-r $<)

# The stamp names the Python, so a change of Python (a new one installed) rebuilds the environment.
.venv/demo/.installed-py$(DEMO_PYTHON): demo/requirements-ansible-$(DEMO_CORE).txt
	$(call make_venv,$(or $(DEMO_PYTHON),$(DEMO_PYTHONS)),make demo,-r $<)

# --- the collection copy ------------------------------------------------------------------------

sync:
	@scripts/sync-collection.sh

# --- ansible-test -------------------------------------------------------------------------------

$(addprefix sanity-,$(CORES)): sanity-%: .venv/core-%/.installed sync
	scripts/ansible-test.sh .venv/core-$* sanity --requirements --python $(PYTHON_FOR_$*)

sanity-py$(OLDEST_MODULE_PYTHON): .venv/core-$(OLDEST_CORE)/.installed sync
	@echo "modules on Python $(OLDEST_MODULE_PYTHON): $(call python,$(OLDEST_MODULE_PYTHON),the compile and import checks of the modules)"
	scripts/ansible-test.sh .venv/core-$(OLDEST_CORE) sanity --requirements \
	    --test compile --test import --python $(OLDEST_MODULE_PYTHON)

$(addprefix units-,$(CORES)): units-%: .venv/core-%/.installed sync
	scripts/ansible-test.sh .venv/core-$* units --requirements --python $(PYTHON_FOR_$*)

$(addprefix integration-,$(CORES)): integration-%: .venv/core-%/.installed sync
	EMULATOR_PYTHON=.venv/core-$*/bin/python scripts/with-emulator.sh \
	    --integration-config $(COLLECTION)/tests/integration/integration_config.yml \
	    scripts/ansible-test.sh .venv/core-$* integration --requirements --python $(PYTHON_FOR_$*)

$(addsuffix -subset,$(addprefix integration-,$(CORES))): integration-%-subset: .venv/core-%/.installed sync
	EMULATOR_PYTHON=.venv/core-$*/bin/python scripts/with-emulator.sh \
	    --integration-config $(COLLECTION)/tests/integration/integration_config.yml \
	    scripts/ansible-test.sh .venv/core-$* integration --requirements --python $(PYTHON_FOR_$*) \
	    $(CORE_DEPENDENT_TARGETS)

# MODULE_PROCESS_TARGETS with losant_in_process: false, so every module runs as its own process, as
# on a remote host, instead of in the controller's (the targets check which way each module ran).
$(addsuffix -module,$(addprefix integration-,$(CORES))): integration-%-module: .venv/core-%/.installed sync
	config=$(COLLECTION)/tests/integration/integration_config.yml; \
	EMULATOR_PYTHON=.venv/core-$*/bin/python scripts/with-emulator.sh --integration-config $$config \
	    bash -c 'echo "losant_in_process: false" >>"$$0" && exec "$$@"' $$config \
	    scripts/ansible-test.sh .venv/core-$* integration --requirements --python $(PYTHON_FOR_$*) \
	    $(MODULE_PROCESS_TARGETS)

# The personality matrix reruns cases under each emulator personality; its target is disabled for the runs
# above, and one ansible-core version is enough, as the personalities change the API, not Ansible.
PERSONALITY_CORE := 2.21
integration-personalities: .venv/core-$(PERSONALITY_CORE)/.installed sync
	EMULATOR_PYTHON=.venv/core-$(PERSONALITY_CORE)/bin/python scripts/with-emulator.sh \
	    --integration-config $(COLLECTION)/tests/integration/integration_config.yml \
	    scripts/ansible-test.sh .venv/core-$(PERSONALITY_CORE) integration --requirements \
	    --python $(PYTHON_FOR_$(PERSONALITY_CORE)) --allow-disabled personalities

# The harness's own tests, then every example; both serve the emulator from a thread of their own
# (tests/docs_examples/__init__.py describes the harness and the example markers).
docs-examples: .venv/core-2.21/.installed sync
	.venv/core-2.21/bin/python -m pytest -p no:cacheprovider -q tests/docs_examples/tests
	.venv/core-2.21/bin/python -m tests.docs_examples

# --- linters, emulator tests, build -------------------------------------------------------------

lint-docs: .venv/tools/.installed sync
	cd $(COLLECTION) && PATH=$(CURDIR)/.venv/tools/bin:$$PATH \
	    antsibull-docs lint-collection-docs --plugin-docs .

lint-ansible: .venv/tools/.installed sync
	cd $(COLLECTION) && PATH=$(CURDIR)/.venv/tools/bin:$$PATH ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.tmp \
	    ansible-lint

emulator-test: .venv/emulator/.installed
	.venv/emulator/bin/python -m pytest -p no:cacheprovider tests/emulator/tests

# Shares the emulator's venv: it needs only pytest and requests.
contract: .venv/emulator/.installed
	.venv/emulator/bin/python -m pytest -p no:cacheprovider tests/contract

# make test checks the emulator only, even where a maintainer's shell holds live LOSANT_* variables.
contract-emulator:
	env -u LOSANT_API_URL -u LOSANT_API_TOKEN -u LOSANT_APPLICATION_ID -u LOSANT_FOREIGN_APPLICATION_ID \
	    $(MAKE) --no-print-directory contract

ecosystem-test: .venv/ecosystem/.installed
	.venv/ecosystem/bin/python -m pytest -p no:cacheprovider tests/ecosystem

# The drift check as AWX runs it: ansible-runner, the AWX guide's credential type, an emulator of its own.
runner-test: .venv/runner/.installed sync
	.venv/runner/bin/python -m pytest -p no:cacheprovider tests/runner

docs: sync
	DOCS_PYTHON=$(call python,$(PYTHONS_FOR_TOOLS),the HTML documentation build) COLLECTION_DIR=$(COLLECTION) scripts/build-docs.sh

build: .venv/tools/.installed
	.venv/tools/bin/ansible-galaxy collection build --force --output-path .tmp/build

build-check: build $(addprefix .venv/core-,$(addsuffix /.installed,$(CORES)))
	scripts/check-build.sh .tmp/build $(addprefix .venv/core-,$(CORES))

# --- demo ---------------------------------------------------------------------------------------

demo: .venv/demo/.installed-py$(DEMO_PYTHON) sync
	EMULATOR_PYTHON=.venv/demo/bin/python scripts/with-emulator.sh \
	    env PATH=$(CURDIR)/.venv/demo/bin:$$PATH ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.tmp \
	    ansible-playbook -i demo/inventory.yml $(DEMO_PLAYBOOK) --diff

# The goals of issue 19 on every core of CORES (narrow with CORES="2.16 2.22"); bench-full: every section.
bench:
	BENCH_CORES='$(CORES)' benchmarks/run.sh --only goals

bench-full:
	BENCH_CORES='$(CORES)' benchmarks/run.sh

# Not part of make test: slow (CONTRIBUTING.md says when to run it). MUTATE: paths under plugins/.
MUTATE ?= plugins
mutation: .venv/mutation/.installed sync
	tests/mutation/run.sh .venv/mutation $(MUTATE)

clean:
	rm -rf .tmp tests/output docs/build benchmarks/results

distclean: clean
	rm -rf .venv
