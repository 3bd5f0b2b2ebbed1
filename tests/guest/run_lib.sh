# Shared by tests/guest/run_guest.sh and tests/diff/compare_emulators.sh (sourced, not run).
# run_setup reads the --env-file and --args-file inputs and builds the timeout wrapper.
# It expects env_file, args_file, timeout_s and the envs array; it sets file_args and runner.
run_setup() {
    local line
    if [ -n "$env_file" ]; then
        while IFS= read -r line || [ -n "$line" ]; do
            case "$line" in '#'* | '') continue ;; esac
            envs+=("$line")
        done <"$env_file" || return 1
    fi
    file_args=()
    if [ -n "$args_file" ]; then
        mapfile -t file_args <"$args_file" || return 1
    fi
    runner=()
    if [ "$timeout_s" != 0 ] && command -v timeout >/dev/null; then
        runner=(timeout -k 5 "$timeout_s")
    fi
}
