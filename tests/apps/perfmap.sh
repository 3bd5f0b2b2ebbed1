#!/usr/bin/env bash
# -perfmap: each tier's host code is listed in /tmp/perf-<pid>.map, one well-formed line per block
# or region, and the guest runs as it would without it.
# usage: perfmap.sh MIMIC_RISCV64 GUEST_PROGRAM
set -u
mimic=$1
prog=$2
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run_with_map NAME ARGS...: runs mimic, leaves the map's lines in $map_lines and stdout in $out.
run_with_map() {
    local name=$1
    shift
    local out_file
    out_file=$(mktemp)
    "$mimic" "$@" "$prog" >"$out_file" 2>/dev/null &
    local pid=$!
    wait "$pid"
    status=$?
    out=$(cat "$out_file")
    rm -f "$out_file"
    local map=/tmp/perf-$pid.map
    if [ ! -f "$map" ]; then
        fail "$name: no $map"
        map_lines=""
        return
    fi
    map_lines=$(cat "$map")
    rm -f "$map"
}

# check_lines NAME TIER-REGEX: every line is "<hex start> <hex size> mimic-<tier>:0x<pc>[+<n>]",
# and no two blocks start at the same host address.
check_lines() {
    local name=$1 tiers=$2
    local bad
    bad=$(grep -Evc "^[0-9a-f]+ [0-9a-f]+ mimic-($tiers):0x[0-9a-f]+(\+[0-9]+)?\$" <<<"$map_lines")
    [ "$bad" -eq 0 ] || fail "$name: $bad malformed lines"
    local dups
    dups=$(cut -d' ' -f1 <<<"$map_lines" | sort | uniq -d | wc -l)
    [ "$dups" -eq 0 ] || fail "$name: $dups host addresses listed twice"
}

"$mimic" "$prog" >/tmp/perfmap_ref.$$ 2>/dev/null
ref_status=$?
ref=$(cat /tmp/perfmap_ref.$$)
rm -f /tmp/perfmap_ref.$$

run_with_map baseline -perfmap -tier baseline
check_lines baseline baseline
n=$(grep -c . <<<"$map_lines")
[ "$n" -ge 10 ] || fail "baseline: only $n blocks listed"
[ "$status" -eq "$ref_status" ] && [ "$out" = "$ref" ] || fail "baseline: the guest's output or status changed"
echo "ok: baseline ($n blocks)"

run_with_map tiered -perfmap -tier tiered -tier-threshold 2
check_lines tiered "baseline|llvm"
grep -q " mimic-llvm:0x" <<<"$map_lines" || fail "tiered: no LLVM unit listed"
grep -q " mimic-baseline:0x" <<<"$map_lines" || fail "tiered: no baseline block listed"
[ "$status" -eq "$ref_status" ] && [ "$out" = "$ref" ] || fail "tiered: the guest's output or status changed"
echo "ok: tiered ($(grep -c ' mimic-llvm:' <<<"$map_lines") LLVM units)"

run_with_map interp -perfmap -tier interp
[ -z "$map_lines" ] || fail "interp: the interpreter has no host code, yet the map lists some"
echo "ok: interp (empty map)"

[ "$failures" -eq 0 ] || exit 1
