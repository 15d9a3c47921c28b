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

# Artifacts (issue 12, point 8): an OCI image read in place, against
# decompressing its layers plus a --root scan of the same merged tree on
# disk; a set of wheels, against the same scan of them unzipped.
work=$(mktemp -d "${TMPDIR:-/tmp}/bindep-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$(dirname "$0")/bench-artifacts.py" "$work" "${BENCH_IMAGE_MIB:-256}"
gunzip_layers() {
	for l in "$work"/layers/*.tar.gz; do gzip -dc "$l" >/dev/null; done
}
img=$(best_ms "$bin" -q -o /dev/null "$work/image")
unz=$(best_ms gunzip_layers)
tree=$(best_ms "$bin" -q -o /dev/null --root "$work/tree")
echo "bench: image of $(du -sb "$work/layers" | cut -f1 | awk '{ printf "%d", $1 / 1048576 }') MiB of gzip'd layers:"
echo "bench: bindep-sbom IMAGE:                 ${img} ms"
echo "bench: gzip -dc of its layers:            ${unz} ms"
echo "bench: bindep-sbom --root MERGED-TREE:    ${tree} ms"
awk -v a="$img" -v b="$unz" -v c="$tree" 'BEGIN {
	if (b + c > 0)
		printf "bench: ratio image / (decompression + root scan): %.2f (at most 1.3)\n", a / (b + c)
}'
whl=$(best_ms "$bin" -q -o /dev/null "$work/dist")
unp=$(best_ms "$bin" -q -o /dev/null "$work/unpacked")
echo "bench: 20 wheels, $(du -sb "$work/dist" | cut -f1 | awk '{ printf "%d", $1 / 1048576 }') MiB:"
echo "bench: bindep-sbom dist/ (wheels read in place): ${whl} ms"
echo "bench: bindep-sbom of the same wheels unzipped:   ${unp} ms"
awk -v a="$whl" -v b="$unp" 'BEGIN {
	if (b > 0) printf "bench: ratio wheels / unzipped: %.2f\n", a / b
}'
