#!/bin/sh
# make bench: bindep-sbom against floors measured in the same run, as
# ratios with their targets (issue 13), and the image and wheel-set cases
# (issue 12). Not a pass/fail test: it prints the figures, then one table.
# contrib/bench-run.py runs the cases; README, "Performance", says what
# each floor is.
#
#   sh contrib/bench.sh ./bindep-sbom [build/hashfloor]
#   BENCH_QUICK=1 (small sizes, one run), BENCH_RUNS=N (best of N, 3)
set -eu
bin=${1:?usage: bench.sh BINDEP-SBOM [HASHFLOOR]}
floor=${2:-build/hashfloor}

if ! command -v scanelf >/dev/null 2>&1; then
	echo "bench: scanelf not found: contrib/install-deps --bench" >&2
	exit 1
fi
if [ ! -x "$floor" ]; then
	echo "bench: $floor not built (make bench builds it)" >&2
	exit 1
fi
exec "${PYTHON:-python3}" "$(dirname "$0")/bench-run.py" "$bin" "$floor"
