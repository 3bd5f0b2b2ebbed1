#!/usr/bin/env bash
# Bad input to mimic-riscv64 gives exactly one line on stderr and exit status 1, never a crash.
# usage: cli_errors.sh MIMIC_RISCV64
set -u
mimic=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect_error DESCRIPTION EXPECTED-STDERR-LINE ARGS...
expect_error() {
    local what=$1 want=$2
    shift 2
    "$mimic" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    local status=$?
    local lines
    lines=$(wc -l <"$tmp/err")
    if [ "$status" -ne 1 ] || [ "$lines" -ne 1 ] || [ "$(cat "$tmp/err")" != "$want" ]; then
        echo "FAIL: $what: status $status, stderr:"
        sed 's/^/    /' "$tmp/err"
        echo "  expected status 1 and: $want"
        failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}

printf '\177ELF\002\001\001' >"$tmp/truncated"
head -c 4096 /dev/urandom >"$tmp/random"
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\002\000\363\000' >"$tmp/short_header"

expect_error "unknown option" "mimic-riscv64: unknown option '-bogus' (try -h)" -bogus prog
expect_error "missing argument" "mimic-riscv64: option '-L' needs an argument" -L
expect_error "no program" "mimic-riscv64: no program given (try -h)"
expect_error "missing file" "mimic-riscv64: $tmp/nope: No such file or directory" "$tmp/nope"
expect_error "a directory" "mimic-riscv64: $tmp: not a regular file" "$tmp"
expect_error "truncated ELF" "mimic-riscv64: $tmp/truncated: not an ELF file" "$tmp/truncated"
expect_error "random bytes" "mimic-riscv64: $tmp/random: not an ELF file" "$tmp/random"
expect_error "header cut short" "mimic-riscv64: $tmp/short_header: not an ELF file" "$tmp/short_header"
expect_error "host ELF" "mimic-riscv64: /bin/true: ELF file is for another architecture (e_machine 62)" /bin/true
expect_error "unknown -d item" "mimic-riscv64: unknown -d item 'bogus' (try -d help)" -d bogus /bin/true
MIMIC_LOG=bogus expect_error "unknown MIMIC_LOG item" \
    "mimic-riscv64: MIMIC_LOG: unknown -d item 'bogus' (try -d help)" /bin/true
expect_error "unwritable -D" "mimic-riscv64: cannot open log file '/nonexistent/dir/log': No such file or directory" \
    -D /nonexistent/dir/log /bin/true
expect_error "unknown tier" "mimic-riscv64: unknown tier 'bogus' (interp, baseline, llvm, tiered or lockstep)" -tier bogus /bin/true
expect_error "bad tier threshold" "mimic-riscv64: -tier-threshold: '0' is not a positive number of runs" -tier-threshold 0 /bin/true

# A host limit that leaves no room for the guest's address space is an error, not a crash.
(
    ulimit -v 2000000
    expect_error "address space limit" \
        "mimic-riscv64: cannot reserve 256 GiB of address space for the guest (Cannot allocate memory; is the virtual memory limit, ulimit -v, too low?)" \
        /bin/true
)
[ $? -eq 0 ] || failures=$((failures + 1))

[ "$failures" -eq 0 ] || exit 1
