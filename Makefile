# perch: developer entry points. CI runs .ci/run: make test (it includes the cluster tests), make e2e.
GO        ?= go
BIN       ?= bin/perch
FUZZTIME  ?= 20s
BENCHTIME ?= 1s

.PHONY: all build test test-cluster vet unit bench fuzz e2e demo clean deps

all: build

build:
	$(GO) build -o $(BIN) ./cmd/perch

# The test command of the README and of CI: static checks, then every test
# (integration tests start their own ClickHouse from PATH).
test: vet
	$(GO) test -count=1 -timeout 40m ./...

# The cluster tests: ZooKeeper and three ClickHouse servers on loopback
# ports (workspace/clustertest); every test of them is named *Cluster*.
CLUSTER_PKGS ?= ./workspace/clustertest/ ./workspace/ ./workspace/apply/ ./cmd/perch/
test-cluster:
	$(GO) test -count=1 -timeout 20m -run 'Cluster' $(CLUSTER_PKGS)

vet:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

# Short runs of every fuzz target (go test -fuzz takes one target at a time).
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# End-to-end test: the real binary in tmux against a local server.
e2e: build
	PERCH_E2E=1 $(GO) test -count=1 -run 'E2E' -timeout 10m ./cmd/perch/

# Installs ClickHouse and the embedded engine when missing, then opens the demo.
demo: deps build
	./$(BIN) demo examples/analytics

# The ClickHouse server (18.16 from the OS packages) and the embedded
# ClickHouse 26.7 engine (libchdb.so from npm, into ~/.cache/perch/chdb).
deps:
	@command -v clickhouse-server >/dev/null || command -v clickhouse >/dev/null || ./.ci/install-clickhouse
	@./.ci/install-chdb

clean:
	rm -rf bin
