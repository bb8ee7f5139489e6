#!/usr/bin/env bash
# Makes the Pulumi CLI and the two plugins our tests and demo need available
# on a machine with no internet access (only the Go module proxy and npm).
#
#   bash scripts/setup-pulumi.sh        (or: npm run setup:pulumi)
#
# - The pinned version is the one of @pulumi/pulumi in package.json (one fact,
#   one place); tools/pulumi/go.mod must require the same pkg/v3 version.
# - A `pulumi` already on PATH is used when `pulumi version` prints exactly
#   that version. Otherwise the CLI is built from source with `go build` from
#   the small module in tools/pulumi (its go.sum is all that is needed) into
#   the git-ignored .tools/pulumi/bin/. The build is stamped (version + hash
#   of go.mod/go.sum + go version), so a second run is instant.
# - Next to it go two plugins, as small wrappers:
#     pulumi-resource-pulumi-nodejs  runs @pulumi/pulumi's dynamic-provider host
#     pulumi-language-nodejs         runs our own language host
#                                    (tools/language-host/host.js), because
#                                    Pulumi's Go language host is not served by
#                                    the module proxy here (403).
#
# Progress goes to stderr; the LAST line on stdout is the bin dir, to be put
# first on PATH (plugins on PATH take precedence over anything else).
set -euo pipefail

log() { printf 'setup-pulumi: %s\n' "$*" >&2; }
die() { printf 'setup-pulumi: ERROR: %s\n' "$*" >&2; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.tools/pulumi/bin"
MODDIR="$ROOT/tools/pulumi"
HOST_JS="$ROOT/tools/language-host/host.js"

command -v node >/dev/null 2>&1 || die "node is not on PATH (Node.js >= 20 is required)"

# The pin: @pulumi/pulumi's exact version in package.json.
PIN="$(node -p "require(process.argv[1]).dependencies['@pulumi/pulumi']" "$ROOT/package.json")"
[[ "$PIN" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] \
  || die "package.json must pin @pulumi/pulumi to an exact version (found '$PIN')"
WANT="v$PIN"

# tools/pulumi/go.mod must build the same release, or the CLI and SDK drift apart.
if ! grep -Eq "^[[:space:]]*(require[[:space:]]+)?github.com/pulumi/pulumi/pkg/v3[[:space:]]+$WANT([[:space:]]|$)" "$MODDIR/go.mod"; then
  die "tools/pulumi/go.mod does not require github.com/pulumi/pulumi/pkg/v3 $WANT (the version pinned in package.json).
  Update it: cd tools/pulumi && go get github.com/pulumi/pulumi/pkg/v3@$WANT github.com/pulumi/pulumi/sdk/v3@$WANT && go mod tidy"
fi

mkdir -p "$BIN"
# One setup at a time (parallel test runs, several engineers in one tree).
exec 9>"$BIN/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

# --- 1. the CLI -------------------------------------------------------------

# A `pulumi` on PATH (not our own copy) with exactly the pinned version?
ambient=""
if p="$(PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$BIN" | paste -sd: -)" command -v pulumi 2>/dev/null)"; then
  v="$(PULUMI_SKIP_UPDATE_CHECK=true "$p" version 2>/dev/null | tail -n1 || true)"
  if [[ "$v" == "$WANT" ]]; then
    ambient="$p"
  else
    log "ignoring $p: it is version '${v:-?}', the pin is $WANT"
  fi
fi

if [[ -n "$ambient" ]]; then
  log "using the pulumi on PATH: $ambient ($WANT)"
  # A hard link where possible: the CLI looks for plugins next to its own (resolved) path too,
  # and warns when it takes them from PATH instead; a symlink resolves to the other directory.
  rm -f "$BIN/pulumi"
  ln "$ambient" "$BIN/pulumi" 2>/dev/null || ln -s "$ambient" "$BIN/pulumi"
  rm -f "$BIN/.stamp"
else
  command -v go >/dev/null 2>&1 \
    || die "no pulumi $WANT on PATH and 'go' is not installed: install Go (see the 'go' line in tools/pulumi/go.mod) so the CLI can be built from the Go module proxy"

  # Use the local Go unless the caller asked otherwise; check it is new enough
  # to say so clearly instead of failing deep inside the build.
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  need_go="$(awk '$1 == "go" { print $2; exit }' "$MODDIR/go.mod")"
  have_go="$(go env GOVERSION)"; have_go="${have_go#go}"
  if [[ "$GOTOOLCHAIN" == local && -n "$need_go" ]] \
     && [[ "$(printf '%s\n%s\n' "$need_go" "$have_go" | sort -V | head -n1)" != "$need_go" ]]; then
    die "tools/pulumi/go.mod needs go >= $need_go, found go $have_go. Install a newer Go, or run with GOTOOLCHAIN=auto to let go fetch one from the module proxy"
  fi

  stamp="$WANT $(cat "$MODDIR/go.mod" "$MODDIR/go.sum" | sha256sum | cut -c1-16) go$have_go"
  if [[ -x "$BIN/pulumi" && -f "$BIN/.stamp" && "$(cat "$BIN/.stamp")" == "$stamp" ]]; then
    log "pulumi $WANT already built ($BIN/pulumi)"
  else
    log "building pulumi $WANT from the Go module proxy into $BIN (a few minutes on a cold module cache)"
    start=$SECONDS
    rm -f "$BIN/.stamp" "$BIN/pulumi.tmp"
    # -mod=readonly: go.sum in the repo must be complete; never rewrite go.mod/go.sum.
    # -buildvcs=false: the module lives inside our git checkout; its VCS state is irrelevant.
    # -trimpath: reproducible paths. The -X sets what `pulumi version` prints (the Automation
    # API and plugin checks read it).
    (cd "$MODDIR" && GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath -o "$BIN/pulumi.tmp" \
        -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$WANT" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) \
      || die "go build of pulumi $WANT failed (see above)"
    mv -f "$BIN/pulumi.tmp" "$BIN/pulumi"
    printf '%s\n' "$stamp" >"$BIN/.stamp"
    log "built in $((SECONDS - start))s"
  fi
fi

got="$(PULUMI_SKIP_UPDATE_CHECK=true "$BIN/pulumi" version 2>/dev/null | tail -n1 || true)"
[[ "$got" == "$WANT" ]] || die "$BIN/pulumi version printed '$got', expected $WANT"

# --- 2. the plugins ---------------------------------------------------------
# Rewritten on every run: cheap, and they follow the checkout if it moves.

resolve() { node -p "require.resolve(process.argv[1], { paths: [process.argv[2]] })" "$1" "$ROOT"; }
dynprov="$(resolve @pulumi/pulumi/cmd/dynamic-provider)" \
  || die "cannot resolve @pulumi/pulumi/cmd/dynamic-provider: run npm install first"
[[ -f "$HOST_JS" ]] || die "missing $HOST_JS"

write_plugin() { # name, body
  printf '#!/bin/sh\n%s\n' "$2" >"$BIN/$1.tmp" && chmod +x "$BIN/$1.tmp" && mv -f "$BIN/$1.tmp" "$BIN/$1"
}
# The engine starts provider plugins in the program's directory: like Pulumi's own
# wrapper, prefer that program's @pulumi/pulumi, else the one of this repository.
write_plugin pulumi-resource-pulumi-nodejs \
"# Pulumi's dynamic-provider host (written by scripts/setup-pulumi.sh)
p=./node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js
[ -f \"\$p\" ] || p='$dynprov'
exec node \"\$p\" \"\$@\""
write_plugin pulumi-language-nodejs \
"# Our own Node.js language host (written by scripts/setup-pulumi.sh); see tools/language-host/host.js
exec node '$HOST_JS' \"\$@\""
log "plugins: pulumi-resource-pulumi-nodejs, pulumi-language-nodejs (our host)"

printf '%s\n' "$BIN"
