#!/usr/bin/env bash
# libFuzzer run over LogStorage's on-disk parsers (record batches, checkpoint
# text, offset and time indexes). Not part of `swift build` or `swift test`:
# it compiles the needed modules straight from Sources/ with
# -sanitize=fuzzer,address, links Tests/Fuzz/LogStorageFuzzHarness.swift and
# runs it. See docs/reliability.md.
#
#   Tests/Fuzz/run-libfuzzer.sh [seconds]   (default 60; corpus in .build-fuzz/corpus)
#
# Needs swift-log checked out by an earlier `swift build` (any scratch path).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN="${1:-60}"
OUT=.build-fuzz
mkdir -p "$OUT/modules" "$OUT/corpus" "$OUT/c"
LOGGING=$(ls -d .build*/checkouts/swift-log/Sources/Logging 2>/dev/null | head -1)
if [ -z "$LOGGING" ]; then echo "run swift build first (swift-log checkout not found)" >&2; exit 2; fi
SAN="-sanitize=fuzzer,address"
COMMON="-package-name spool -O -g -I $OUT/modules -I Sources/CSpoolShims/include -Xcc -fmodule-map-file=$OUT/modules/CSpoolShims.modulemap"

cat > "$OUT/modules/CSpoolShims.modulemap" <<MAP
module CSpoolShims { header "$(pwd)/Sources/CSpoolShims/include/CSpoolShims.h" export * }
MAP
for c in Sources/CSpoolShims/*.c; do
  clang -O1 -g -fsanitize=fuzzer-no-link,address -msse4.2 -mpclmul -I Sources/CSpoolShims/include -c "$c" -o "$OUT/c/$(basename "$c" .c).o"
done
swiftc $SAN $COMMON -parse-as-library -emit-module -emit-object -module-name Logging -wmo \
  -emit-module-path "$OUT/modules/Logging.swiftmodule" -o "$OUT/Logging.o" $(find "$LOGGING" -name '*.swift')
swiftc $SAN $COMMON -parse-as-library -emit-module -emit-object -module-name FileIO -wmo \
  -emit-module-path "$OUT/modules/FileIO.swiftmodule" -o "$OUT/FileIO.o" Sources/FileIO/*.swift
swiftc $SAN $COMMON -parse-as-library -emit-module -emit-object -module-name LogStorage -wmo \
  -emit-module-path "$OUT/modules/LogStorage.swiftmodule" -o "$OUT/LogStorage.o" $(find Sources/LogStorage -name '*.swift')
swiftc $SAN $COMMON -parse-as-library -module-name SpoolFuzz -wmo \
  -o "$OUT/spool-fuzz" \
  Tests/Fuzz/LogStorageFuzzHarness.swift "$OUT/LogStorage.o" "$OUT/FileIO.o" "$OUT/Logging.o" "$OUT"/c/*.o 2>&1 \
  | grep -v "Cannot export local symbol" || true
[ -x "$OUT/spool-fuzz" ] || { echo "link failed" >&2; exit 1; }
"$OUT/spool-fuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 "$OUT/corpus"
