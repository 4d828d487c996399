#!/usr/bin/env bash
# Runs a command in a network namespace of its own whose only interface is loopback, so the engine tests reach
# the fakes on 127.0.0.1 and nothing else: an engine, plugin or provider that tried another address would fail at
# once instead of sending traffic. As root (CI) a plain network namespace; otherwise inside a user namespace too.
# Where none can be made, it says why and runs the command as it is (the tests' environment still turns off every
# download, update check and registry lookup).
set -euo pipefail
inside='ip link set lo up && exec "$@"'
if ! command -v ip >/dev/null; then
    echo "loopback-only: no ip command (Debian: iproute2) to bring loopback up; running without a namespace" >&2
elif unshare --net true 2>/dev/null; then
    exec unshare --net bash -c "$inside" bash "$@"
elif unshare --user --map-root-user --net true 2>/dev/null; then
    exec unshare --user --map-root-user --net bash -c "$inside" bash "$@"
else
    echo "loopback-only: no network namespace can be made here; running without one" >&2
fi
exec "$@"
