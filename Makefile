# mod_credit: the two commands are `make run` and `make test` (see README.md).
PORT         ?= 8080
DB_PORT      ?= 3307
DEMO_RECORDS ?= 10000
VAR          ?= $(CURDIR)/var
PYTHON       := /usr/bin/python3
export PORT DB_PORT
export CREDIT_VAR := $(VAR)

# The sources and the compiler flags: mod_credit/sources.mk, shared with
# Makefile.apxs and read by tests/fuzz/run.sh (make print-SRC_ALL).
include mod_credit/sources.mk
comma     := ,
UNIT_BIN  := $(VAR)/build/unit$(if $(ASAN),-asan)
# make unit ASAN=1: the same tests under AddressSanitizer and UBSan.
UNIT_SAN  := $(if $(ASAN),-fsanitize=address$(comma)undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)

.PHONY: all deps build module run stop reset reindex dumps fuzz test unit layers integration browser bench \
        lint-openapi \
        install uninstall install-db format clean

all: build

# Debian packages in groups (scripts/deps.sh): build, run, test, bench, lint. Each
# target installs what it needs and no more; `make build` and `make install`
# install nothing: they name the build packages that are missing.
deps:
	@scripts/deps.sh build run test bench lint

build:
	@scripts/deps.sh --check build
	@$(MAKE) --no-print-directory module

module:
	@$(MAKE) --no-print-directory -f Makefile.apxs

run:
	@scripts/deps.sh build run
	@$(MAKE) --no-print-directory module
	@scripts/db.sh start
	@scripts/db.sh migrate
	@scripts/db.sh demo $(DEMO_RECORDS)
	@scripts/httpd.sh start
	@scripts/dumps.sh
	@echo
	@echo "  信用天津 政务诚信:  http://127.0.0.1:$(PORT)/credit/"
	@echo "  records:          http://127.0.0.1:$(PORT)/credit/records"
	@echo "  health (JSON):    http://127.0.0.1:$(PORT)/credit/api/v1/health"
	@echo "  daily dumps:      http://127.0.0.1:$(PORT)/credit/api/v1/dumps (again: make dumps)"
	@echo "  staff work queues: http://127.0.0.1:$(PORT)/credit-admin/"
	@echo "  staff (admin API): http://127.0.0.1:$(PORT)/credit-admin/api/v1/me"
	@echo "                    login staff (city level) or staff-heping, password in $(VAR)/staff-password: $$(cat $(VAR)/staff-password)"
	@echo "  logs:             $(VAR)/log/"
	@echo "  stop with:        make stop"

stop:
	@scripts/httpd.sh stop
	@scripts/db.sh stop

# Today's dump of the public records (JSON Lines and CSV, gzip) into the
# served directory, listed at /credit/api/v1/dumps (make run makes one).
dumps:
	@scripts/dumps.sh

# Rebuild the derived full-text search table from InnoDB.
reindex:
	@scripts/db.sh reindex

reset: stop
	rm -rf $(VAR)

$(UNIT_BIN): $(UNIT_SRC) $(HDRS) mod_credit/sources.mk $(wildcard tests/unit/*.c tests/unit/*.h)
	@mkdir -p $(dir $@)
	cc $(CC_STD) $(WARN) -g $(UNIT_SAN) \
	    $$(apr-1-config --cflags --cppflags --includes) $(INCS) \
	    tests/unit/*.c $(UNIT_SRC) \
	    $$(pkg-config --cflags --libs check json-c) $$(apr-1-config --link-ld) $$(apu-1-config --link-ld) \
	    -lneo_cs -lneo_utl -lmariadb -lcrypto -lxlsxwriter -o $@

unit:
	@scripts/deps.sh build test
	@scripts/check-layers.sh
	@$(MAKE) --no-print-directory $(UNIT_BIN)
	$(UNIT_BIN)

# The includes of mod_credit/ go down its layers (docs/ARCHITECTURE.md).
layers:
	@scripts/check-layers.sh

integration:
	@scripts/deps.sh build run test
	@$(MAKE) --no-print-directory module
	$(PYTHON) -m pytest -q tests/integration

browser:
	@scripts/deps.sh build run test
	@$(MAKE) --no-print-directory module
	$(PYTHON) -m pytest -q tests/browser

# Every test: unit, integration, browser. The tests start their own MariaDB
# and httpd on free ports and stop them, also when a test fails.
# make test ASAN=1: the unit tests and the module under AddressSanitizer and
# UBSan; a sanitizer report fails the run (scripts/test.sh).
test:
	@scripts/deps.sh build run test
	@$(MAKE) --no-print-directory module
	@scripts/test.sh

# Fuzz each target for SECONDS (default 60); make test replays the corpora.
fuzz:
	@scripts/deps.sh build test
	tests/fuzz/run.sh fuzz $(or $(SECONDS),60)

# The OpenAPI document as served, through Redocly CLI's recommended rules and
# Dredd's dry run, both from the npm registry (installed into var/npm on first
# use). Not part of make test: a machine that reaches Debian's mirror only
# (or npm through a TLS proxy it does not trust) cannot fetch them; make test
# checks the rules the issue met on the document itself
# (tests/integration/test_openapi_lint.py).
lint-openapi:
	@scripts/deps.sh test lint
	/usr/bin/python3 -m pytest -q -p no:cacheprovider tests/lint

bench:
	@scripts/deps.sh build run bench
	@$(MAKE) --no-print-directory module
	@scripts/bench.sh

# Into the system Apache (Debian layout), or below DESTDIR. Installs no
# package: a missing build dependency is named and nothing is done.
install:
	@scripts/deps.sh --check build
	@$(MAKE) --no-print-directory -f Makefile.apxs install

uninstall:
	@$(MAKE) --no-print-directory -f Makefile.apxs uninstall

# The database on a MariaDB the webmaster already runs (README.md): schema,
# users, grants, Mroonga; again later, only the new migrations. E.g.
#   make install-db DB_HOST=db.example DB_ADMIN_USER=admin DB_ADMIN_PASSWORD_FILE=/root/db-admin
# DB_PORT is 3306 here unless given (3307 is the private server's of make run).
install-db:
	@DB_PORT=$(if $(filter command line environment,$(origin DB_PORT)),$(DB_PORT),3306) \
	    scripts/install-db.sh

# The value of a variable of this Makefile (tests/fuzz/run.sh reads SRC_ALL,
# CC_STD and WARN from here).
print-%:
	@echo $($*)

format:
	clang-format -i $(SRC_ALL) $(HDRS) tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h

clean:
	@$(MAKE) --no-print-directory -f Makefile.apxs clean
	rm -rf $(VAR)/build $(BUILD_DIR)
