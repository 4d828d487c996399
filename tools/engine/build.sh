#!/usr/bin/env bash
# Builds the real Pulumi engine that `npm run test:engine` runs: the CLI (github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
# and the Node.js language host (pulumi-language-nodejs), at the release of the @pulumi/pulumi this project pins,
# into bin/engine/ (ignored), with Go's module and build caches. Next to them goes our dynamic provider host
# (pulumi-resource-pulumi-nodejs, in this folder): the CLI looks for these plugins next to its own executable
# (sdk/go/common/workspace/plugins.go, IsPluginBundled). A run whose binaries already report the pinned version
# builds nothing.
#
# The CLI comes from the Go module proxy through cli/go.mod (pkg/v3 and sdk/v3 at the pinned version). The language
# host's module (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is not served by the proxy: its
# main package's .go files come from ../shared/src/pulumi-v<version>-cli-src.tgz, built with language-host/go.mod
# against the same pkg/v3 and sdk/v3 from the proxy. The tarball cannot build either binary alone: its sdk/ lacks
# nodejs/npm and python, which the language host and pkg/backend/httpstate import. Where the proxy refuses a
# module, the script prints the module@version and the proxy's answer. Needs Go >= 1.25.11 and the module proxy.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tools/engine"
out="$root/bin/engine"
version="$(node -p 'require(process.argv[1]).version' "$root/node_modules/@pulumi/pulumi/package.json")"
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
tarball="${PULUMI_SOURCE_TARBALL:-$root/../shared/src/pulumi-v$version-cli-src.tgz}"
cli_module="github.com/pulumi/pulumi/pkg/v3"
host_module="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"

say() { echo "engine: $*" >&2; }
fail() { say "$*"; exit 1; }
seconds_since() { echo $(( $(date +%s) - $1 )); }

command -v go >/dev/null || fail "Go is not installed: test:engine needs Go >= 1.25.11 and the Go module proxy (README, Start here)"

for gomod in cli/go.mod language-host/go.mod; do
    pinned="$(sed -n "s|^\t$cli_module v\([^ ]*\).*|\1|p" "$here/$gomod")"
    [ "$pinned" = "$version" ] || fail "tools/engine/$gomod pins $cli_module v$pinned, but node_modules has @pulumi/pulumi $version: move it (go get $cli_module@v$version github.com/pulumi/pulumi/sdk/v3@v$version there)"
done

mkdir -p "$out"
ln -sf "$here/pulumi-resource-pulumi-nodejs" "$out/pulumi-resource-pulumi-nodejs"

# The version a binary reports, or nothing when it is missing or broken.
reported() { "$@" 2>/dev/null | head -1 || true; }

# Where a module is missing from the proxy, say exactly which one (the proxy's own answer).
proxy_error() { (cd "$here/cli" && go mod download -json "$1@v$version" 2>/dev/null | sed -n 's/^\t"Error": "\(.*\)",\{0,1\}$/\1/p' | sed 's/\\n\\t/ /g'; true); }

if [ "$(reported "$out/pulumi" version)" = "v$version" ]; then
    say "pulumi v$version: built already"
else
    start=$(date +%s)
    problem="$(proxy_error "$cli_module")$(proxy_error github.com/pulumi/pulumi/sdk/v3)"
    [ -z "$problem" ] || fail "the Go module proxy does not serve the CLI's modules: $problem (the source tarball cannot stand in: its sdk/ lacks nodejs/npm and python)"
    (cd "$here/cli" && go build -trimpath -ldflags "$ldflags" -o "$out/pulumi" "$cli_module/cmd/pulumi")
    say "pulumi v$version: built in $(seconds_since "$start") s"
fi

if [ "$(reported "$out/pulumi-language-nodejs" -version)" = "v$version" ]; then
    say "pulumi-language-nodejs v$version: built already"
else
    start=$(date +%s)
    problem="$(proxy_error "$host_module")"
    [ -n "$problem" ] || problem="served now (this script still builds the tarball's copy of it)"
    say "$host_module@v$version from the Go module proxy: $problem"
    say "building pulumi-language-nodejs from the .go files of $(basename "$tarball") with tools/engine/language-host/go.mod"
    [ -f "$tarball" ] || fail "the source tarball $tarball is missing (PULUMI_SOURCE_TARBALL names another)"
    work="$out/src/language-host"
    rm -rf "$work" && mkdir -p "$work"
    tar -xzf "$tarball" -C "$work" --strip-components=5 --wildcards 'pulumi-src/sdk/nodejs/cmd/pulumi-language-nodejs/*.go'
    rm -f "$work"/*_test.go
    cp "$here/language-host/go.mod" "$here/language-host/go.sum" "$work/"
    (cd "$work" && go build -trimpath -ldflags "$ldflags" -o "$out/pulumi-language-nodejs" .)
    say "pulumi-language-nodejs v$version: built in $(seconds_since "$start") s"
fi
