#!/bin/sh
# make bench: time bindep-sbom against scanelf (pax-utils) on the same
# directory. Not a pass/fail test: it prints the figures and their ratio.
#
#   sh contrib/bench.sh ./bindep-sbom [DIR] [RUNS]
set -eu
bin=${1:?usage: bench.sh BINARY [DIR] [RUNS]}
dir=${2:-/usr/lib/x86_64-linux-gnu}
runs=${3:-5}

if ! command -v scanelf >/dev/null 2>&1; then
	echo "bench: scanelf not found: contrib/install-deps --bench" >&2
	exit 1
fi

# The best of $runs wall-clock times of a command, in milliseconds.
best_ms() {
	best=
	i=0
	while [ "$i" -lt "$runs" ]; do
		start=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		end=$(date +%s%N)
		ms=$(( (end - start) / 1000000 ))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
		i=$((i + 1))
	done
	echo "$best"
}

files=$(find "$dir" -type f | wc -l)
bytes=$(du -sb "$dir" | cut -f1)
echo "bench: $dir: $files files, $((bytes / 1048576)) MiB; best of $runs runs (warm cache)"
ours=$(best_ms "$bin" -q -o /dev/null "$dir")
theirs=$(best_ms scanelf -RyBnL "$dir")
echo "bench: bindep-sbom --format cyclonedx: ${ours} ms (reads, hashes with SHA-256, writes the SBOM)"
echo "bench: scanelf -RyBnL:                ${theirs} ms (reads DT_NEEDED only)"
awk -v a="$ours" -v b="$theirs" 'BEGIN {
	if (b > 0) printf "bench: ratio bindep-sbom / scanelf: %.2f\n", a / b
}'

# The resolver: every program of /usr/bin with its whole closure, found
# the way the loader finds it, against the same files' DT_NEEDED only.
echo "bench: --root / /usr/bin: every program and the libraries it loads"
ours=$(best_ms "$bin" -q -o /dev/null --root / /usr/bin)
theirs=$(best_ms scanelf -RyBnL /usr/bin)
comps=$("$bin" -q --root / /usr/bin | grep -c '"bom-ref":' || true)
echo "bench: bindep-sbom --root / /usr/bin: ${ours} ms ($((comps - 1)) components)"
echo "bench: scanelf -RyBnL /usr/bin:        ${theirs} ms"
awk -v a="$ours" -v b="$theirs" 'BEGIN {
	if (b > 0) printf "bench: ratio bindep-sbom / scanelf: %.2f\n", a / b
}'
