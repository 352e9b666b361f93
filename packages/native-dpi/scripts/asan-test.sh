#!/usr/bin/env bash
# Builds the addon with AddressSanitizer (in build-asan/, removed afterwards) and runs every
# capture of the corpus through it, in default and ndpiReader mode. Exits non-zero on the
# first ASan report. Run it as `npm run test:asan` (npm puts node-gyp on PATH).
set -euo pipefail
pkg="$(cd "$(dirname "$0")/.." && pwd)"
work="$pkg/build-asan"
trap "rm -rf \"$work\"" EXIT
rm -rf "$work"
mkdir -p "$work"
cp "$pkg/binding.gyp" "$work/"
ln -s "$pkg/src" "$work/src"
(cd "$work" && node-gyp rebuild --jobs 2 --asan=1 >/dev/null)
addon="$work/build/Release/native_dpi.node"
if [[ "$(nm -D "$addon")" != *__asan_report* ]]; then
  echo "asan-test: $addon is not instrumented" >&2
  exit 1
fi
npx tsc -p "$pkg/tsconfig.build.json"
libasan="$(gcc -print-file-name=libasan.so)"
# Leak checking is off: node itself does not free everything at exit.
LD_PRELOAD="$libasan" \
  ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1" \
  NETIFYD_NATIVE_DPI_ADDON="$addon" \
  node "$pkg/scripts/run-corpus.mjs" "$@"
