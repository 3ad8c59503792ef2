# losant.platform: set-up, tests and demo. `make help` lists the targets.
#
# Every target installs what it needs into .venv/ (one virtual environment per purpose, rebuilt
# only when its requirements file changes) and works on a copy of the collection in
# .tmp/ansible_collections/losant/platform, made from the files git tracks or would track.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.NOTPARALLEL:

# ansible-core versions tested: the oldest supported and the newest release, each with a Python
# it supports as a controller.
CORES := 2.16 2.21
PYTHON_FOR_2.16 := 3.11
PYTHON_FOR_2.21 := 3.13
# The oldest Python the modules support (tests/config.yml): compile and import sanity tests only.
OLDEST_MODULE_PYTHON := 3.9
PYTHON_FOR_TOOLS := 3.13
PYTHON_FOR_EMULATOR := 3.11
PYTHON_FOR_DEMO := 3.13

# Newest installed Python X.Y: from pyenv if present, else from PATH.
PYENV_VERSIONS ?= $(HOME)/.pyenv/versions
python = $(or $(lastword $(sort $(wildcard $(PYENV_VERSIONS)/$(1).*/bin/python$(1)))),$(shell command -v python$(1)),$(error Python $(1) not found))

COLLECTION := .tmp/ansible_collections/losant/platform
DEMO_PLAYBOOK ?= demo/demo.yml
PIP_INSTALL := pip install --quiet --quiet --disable-pip-version-check

TEST_STEPS := lint-docs lint-ansible build-check docs demo emulator-test ecosystem-test \
              $(addprefix sanity-,$(CORES)) $(addprefix units-,$(CORES)) $(addprefix integration-,$(CORES)) \
              contract

.PHONY: help bench test sanity units integration lint lint-docs lint-ansible emulator-test contract ecosystem-test \
        build build-check docs demo sync clean distclean $(TEST_STEPS)

help:
	@echo "make test           everything below, as CI runs it"
	@echo "make sanity         ansible-test sanity on ansible-core $(CORES)"
	@echo "make units          ansible-test units on ansible-core $(CORES)"
	@echo "make integration    ansible-test integration against the emulator on ansible-core $(CORES)"
	@echo "make lint           antsibull-docs lint-collection-docs and ansible-lint (production profile)"
	@echo "make emulator-test  the emulator's own pytest suite"
	@echo "make contract       the API contract suite: the emulator under each personality, or a live"
	@echo "                    Losant application with LOSANT_API_URL/_TOKEN/_APPLICATION_ID (tests/contract)"
	@echo "make ecosystem-test execution environment metadata (ansible-builder create)"
	@echo "make docs           lint the docs and build the HTML documentation into docs/build/html/"
	@echo "make bench          benchmarks (never part of make test); rewrites docs/performance.md and .png"
	@echo "make build          build the collection tarball into .tmp/build/"
	@echo "make build-check    build, install the tarball and run ansible-doc on every module"
	@echo "make demo           run $(DEMO_PLAYBOOK) against a fresh emulator"
	@echo "make sync           copy the collection to $(COLLECTION)"
	@echo "make clean          remove .tmp/ (copies, build output, test results)"
	@echo "make distclean      clean, and remove the virtual environments in .venv/"
	@echo "Single versions: sanity-2.16, units-2.21, integration-2.16, ..."

# Runs every step even after a failure, so one run reports everything; fails if any step failed.
test:
	@passed=0; failed=(); \
	for step in $(TEST_STEPS); do \
	    echo "=== $$step"; start=$$SECONDS; \
	    if $(MAKE) --no-print-directory $$step; then passed=$$((passed + 1)); result=ok; \
	    else failed+=($$step); result=FAILED; fi; \
	    echo "=== $$step: $$result ($$((SECONDS - start)) s)"; \
	done; \
	[ $${#failed[@]} -eq 0 ] || echo "failed steps: $${failed[*]}"; \
	echo "summary: $$passed passed, $${#failed[@]} failed"; \
	[ $${#failed[@]} -eq 0 ]

sanity: $(addprefix sanity-,$(CORES))
units: $(addprefix units-,$(CORES))
integration: $(addprefix integration-,$(CORES))
lint: lint-docs lint-ansible

# --- virtual environments -----------------------------------------------------------------------

# $(call make_venv,PYTHON_VERSION,PIP_ARGUMENTS) in a recipe whose target is VENV/.installed
define make_venv
rm -rf $(@D)
$(call python,$(1)) -m venv $(@D)
$(@D)/bin/$(PIP_INSTALL) $(2)
touch $@
endef

.venv/core-%/.installed: tests/requirements-ansible-%.txt
	$(call make_venv,$(PYTHON_FOR_$*),-r $<)

.venv/tools/.installed: tests/requirements-lint.txt
	$(call make_venv,$(PYTHON_FOR_TOOLS),-r $<)

.venv/emulator/.installed: tests/emulator/requirements.txt
	$(call make_venv,$(PYTHON_FOR_EMULATOR),-r $<)

.venv/ecosystem/.installed: tests/ecosystem/requirements.txt
	$(call make_venv,$(PYTHON_FOR_TOOLS),-r $<)

.venv/demo/.installed: demo/requirements.txt
	$(call make_venv,$(PYTHON_FOR_DEMO),-r $<)

# --- the collection copy ------------------------------------------------------------------------

sync:
	@scripts/sync-collection.sh

# --- ansible-test -------------------------------------------------------------------------------

$(addprefix sanity-,$(CORES)): sanity-%: .venv/core-%/.installed sync
	scripts/ansible-test.sh .venv/core-$* sanity --requirements --python $(PYTHON_FOR_$*)
	$(if $(filter $*,$(firstword $(CORES))),scripts/ansible-test.sh .venv/core-$* sanity --requirements \
	    --test compile --test import --python $(OLDEST_MODULE_PYTHON))

$(addprefix units-,$(CORES)): units-%: .venv/core-%/.installed sync
	scripts/ansible-test.sh .venv/core-$* units --requirements --python $(PYTHON_FOR_$*)

$(addprefix integration-,$(CORES)): integration-%: .venv/core-%/.installed sync
	EMULATOR_PYTHON=.venv/core-$*/bin/python scripts/with-emulator.sh \
	    --integration-config $(COLLECTION)/tests/integration/integration_config.yml \
	    scripts/ansible-test.sh .venv/core-$* integration --requirements --python $(PYTHON_FOR_$*)

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

ecosystem-test: .venv/ecosystem/.installed
	.venv/ecosystem/bin/python -m pytest -p no:cacheprovider tests/ecosystem

docs: sync
	DOCS_PYTHON=$(call python,$(PYTHON_FOR_TOOLS)) COLLECTION_DIR=$(COLLECTION) scripts/build-docs.sh

build: .venv/tools/.installed
	.venv/tools/bin/ansible-galaxy collection build --force --output-path .tmp/build

build-check: build $(addprefix .venv/core-,$(addsuffix /.installed,$(CORES)))
	scripts/check-build.sh .tmp/build $(addprefix .venv/core-,$(CORES))

# --- demo ---------------------------------------------------------------------------------------

demo: .venv/demo/.installed sync
	EMULATOR_PYTHON=.venv/demo/bin/python scripts/with-emulator.sh \
	    env PATH=$(CURDIR)/.venv/demo/bin:$$PATH ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.tmp \
	    ansible-playbook -i demo/inventory.yml $(DEMO_PLAYBOOK) --diff

bench:
	benchmarks/run.sh

clean:
	rm -rf .tmp tests/output docs/build benchmarks/results

distclean: clean
	rm -rf .venv
