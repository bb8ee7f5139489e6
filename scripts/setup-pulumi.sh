#!/usr/bin/env bash
# Makes the Pulumi CLI and the two plugins our tests and demo need available
# on a machine with no internet access (only the Go module proxy and npm).
#
#   bash scripts/setup-pulumi.sh        (or: npm run setup:pulumi)
#
# - Compatible CLIs: from the version of @pulumi/pulumi the tests use (devDependencies in
#   package.json: a CLI older than the SDK it runs may lack what the SDK asks for) up to the
#   next major. One fact, one place: package.json.
# - A `pulumi` already on PATH is used when `pulumi version` is in that range. Otherwise the
#   CLI is built from source with `go build` from the small module in tools/pulumi (the
#   release its go.mod requires; its go.sum is all that is needed) into the git-ignored
#   .tools/pulumi/bin/. A build from a cold Go cache compiles about 1,700 packages and takes
#   many minutes: it reports progress every 15 s. The build is stamped (version + hash of
#   go.mod/go.sum + go version), so a second run is instant.
# - Next to it go two plugins, as small wrappers:
#     pulumi-resource-pulumi-nodejs  runs @pulumi/pulumi's dynamic-provider host
#     pulumi-language-nodejs         runs our own language host
#                                    (tools/language-host/host.js), because
#                                    Pulumi's Go language host is not served by
#                                    the module proxy here (403).
#
# - Beside them, Pulumi's official YAML language host (pulumi-language-yaml), built and stamped
#   like the CLI from tools/pulumi-yaml (see section 1b).
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
CLI_PKG=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi

command -v node >/dev/null 2>&1 || die "node is not on PATH (run npm ci first: the project brings its Node.js)"

# The oldest compatible CLI: @pulumi/pulumi's exact version in devDependencies.
MIN="$(node -p "require(process.argv[1]).devDependencies['@pulumi/pulumi']" "$ROOT/package.json")"
[[ "$MIN" =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ ]] \
  || die "package.json must pin @pulumi/pulumi in devDependencies to an exact version (found '$MIN')"
MAJOR="${BASH_REMATCH[1]}"
RANGE=">= v$MIN, < v$((MAJOR + 1)).0.0"

# in_range v3.276.0 (a pre-release or build suffix counts as its release)
in_range() {
  local v="${1#v}"
  v="${v%%[-+]*}"
  [[ "$v" =~ ^([0-9]+)\.[0-9]+\.[0-9]+$ && "${BASH_REMATCH[1]}" == "$MAJOR" ]] \
    && [[ "$(printf '%s\n%s\n' "$MIN" "$v" | sort -V | head -n1)" == "$MIN" ]]
}

# The release tools/pulumi builds when no compatible CLI is installed.
WANT="$(awk '$0 ~ /github.com\/pulumi\/pulumi\/pkg\/v3 v/ { for (i = 1; i < NF; i++) if ($i == "github.com/pulumi/pulumi/pkg/v3") { print $(i + 1); exit } }' "$MODDIR/go.mod")"
[[ -n "$WANT" ]] || die "tools/pulumi/go.mod does not require github.com/pulumi/pulumi/pkg/v3"
in_range "$WANT" || die "tools/pulumi/go.mod builds pulumi $WANT, outside the range the project supports ($RANGE).
  Update it: cd tools/pulumi && go get github.com/pulumi/pulumi/pkg/v3@v$MIN github.com/pulumi/pulumi/sdk/v3@v$MIN && go mod tidy"

mkdir -p "$BIN"
# One setup at a time (parallel test runs, several engineers in one tree).
exec 9>"$BIN/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

# go_build_with_progress <module dir> <what> <output> <package> <ldflags>: `go build`, with a
# line on stderr every 15 s (phase, packages compiled of the total, time), since a cold build
# takes many minutes.
go_build_with_progress() {
  local moddir="$1" what="$2" out="$3" pkg="$4" ldflags="$5" start=$SECONDS buildlog
  buildlog="$(mktemp)"
  # -mod=readonly: go.sum in the repo must be complete; never rewrite go.mod/go.sum.
  # -buildvcs=false: the module lives inside our git checkout; its VCS state is irrelevant.
  export GOFLAGS="-mod=readonly -buildvcs=false"
  elapsed() { local s=$((SECONDS - start)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

  # 1. Download the modules and count the packages to compile (standard library included).
  log "resolving the packages of $what (downloads the Go modules on a cold module cache)"
  (cd "$moddir" && go list -deps "$pkg" >"$buildlog.list" 2>"$buildlog") &
  local pid=$!
  while ! wait_for "$pid" 15; do log "still resolving and downloading modules, $(elapsed)"; done
  wait "$pid" || { cat "$buildlog" >&2; rm -f "$buildlog" "$buildlog.list"; return 1; }
  local total
  total="$(wc -l <"$buildlog.list")"
  rm -f "$buildlog.list"

  # 2. Compile. `go build -v` names each package as it compiles it (cached ones are skipped).
  log "compiling $what: at most $total packages (those not in the Go build cache), then linking"
  # -trimpath: reproducible paths. The ldflags set the version the binary reports.
  (cd "$moddir" && go build -v -trimpath -o "$out" -ldflags "$ldflags" "$pkg") 2>"$buildlog" &
  pid=$!
  while ! wait_for "$pid" 15; do
    log "compiling: $(grep -c '^[a-zA-Z0-9_.~/-]*$' "$buildlog" || true) of at most $total packages, $(elapsed)"
  done
  local status=0
  wait "$pid" || status=$?
  # Anything that is not a package name is a compiler message: show it.
  grep -v '^[a-zA-Z0-9_.~/-]*$' "$buildlog" >&2 || true
  rm -f "$buildlog"
  [[ $status -eq 0 ]] && log "built in $(elapsed)"
  return "$status"
}

# wait_for <pid> <seconds>: true once the process has ended, false after <seconds>.
wait_for() {
  local i
  for ((i = 0; i < $2; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 1
  done
  ! kill -0 "$1" 2>/dev/null
}

# --- 1. the CLI -------------------------------------------------------------

# A `pulumi` on PATH (not our own copy) within the range?
ambient=""
if p="$(PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$BIN" | paste -sd: -)" command -v pulumi 2>/dev/null)"; then
  v="$(PULUMI_SKIP_UPDATE_CHECK=true "$p" version 2>/dev/null | tail -n1 || true)"
  if in_range "$v"; then
    ambient="$p"
  else
    log "ignoring $p: it is version '${v:-?}', outside $RANGE"
  fi
fi

if [[ -n "$ambient" ]]; then
  log "using the pulumi on PATH: $ambient ($v, within $RANGE)"
  # A hard link where possible: the CLI looks for plugins next to its own (resolved) path too,
  # and warns when it takes them from PATH instead; a symlink resolves to the other directory.
  rm -f "$BIN/pulumi"
  ln "$ambient" "$BIN/pulumi" 2>/dev/null || ln -s "$ambient" "$BIN/pulumi"
  rm -f "$BIN/.stamp"
else
  command -v go >/dev/null 2>&1 \
    || die "no pulumi $RANGE on PATH and 'go' is not installed: install Go (see the 'go' line in tools/pulumi/go.mod) so the CLI can be built from the Go module proxy"

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
    log "no pulumi $RANGE on PATH: building $WANT from the Go module proxy into $BIN (many minutes on a cold Go cache; cached after that)"
    rm -f "$BIN/.stamp" "$BIN/pulumi.tmp"
    # The -X sets what `pulumi version` prints (the Automation API and plugin checks read it).
    go_build_with_progress "$MODDIR" "pulumi $WANT" "$BIN/pulumi.tmp" "$CLI_PKG" \
      "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$WANT" || die "go build of pulumi $WANT failed (see above)"
    mv -f "$BIN/pulumi.tmp" "$BIN/pulumi"
    printf '%s\n' "$stamp" >"$BIN/.stamp"
  fi
fi

got="$(PULUMI_SKIP_UPDATE_CHECK=true "$BIN/pulumi" version 2>/dev/null | tail -n1 || true)"
in_range "$got" || die "$BIN/pulumi version printed '$got', outside $RANGE"

# --- 1b. the YAML language host -----------------------------------------------
# Pulumi's official pulumi-language-yaml, built from the small module in tools/pulumi-yaml (the
# release its go.mod requires) like the CLI, and stamped the same way. It goes next to the CLI:
# the CLI looks for language hosts beside itself first, and warns when it takes one from PATH.
# Without Go it is skipped with a warning (YAML programs then cannot run; nothing else needs it).

YAML_MODDIR="$ROOT/tools/pulumi-yaml"
YAML_PKG=github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
YAML_WANT="$(awk '$1 == "github.com/pulumi/pulumi-yaml" && $2 ~ /^v/ { print $2; exit } $1 == "require" && $2 == "github.com/pulumi/pulumi-yaml" { print $3; exit }' "$YAML_MODDIR/go.mod")"
[[ -n "$YAML_WANT" ]] || die "tools/pulumi-yaml/go.mod does not require github.com/pulumi/pulumi-yaml"
if ! command -v go >/dev/null 2>&1; then
  log "WARNING: 'go' is not installed: not building pulumi-language-yaml $YAML_WANT (Pulumi YAML programs will not run)"
else
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
  yaml_go="$(go env GOVERSION)"
  yaml_stamp="$YAML_WANT $(cat "$YAML_MODDIR/go.mod" "$YAML_MODDIR/go.sum" | sha256sum | cut -c1-16) $yaml_go"
  if [[ -x "$BIN/pulumi-language-yaml" && -f "$BIN/.stamp-language-yaml" && "$(cat "$BIN/.stamp-language-yaml")" == "$yaml_stamp" ]]; then
    log "pulumi-language-yaml $YAML_WANT already built ($BIN/pulumi-language-yaml)"
  else
    log "building pulumi-language-yaml $YAML_WANT from the Go module proxy into $BIN (minutes on a cold Go cache; cached after that)"
    rm -f "$BIN/.stamp-language-yaml" "$BIN/pulumi-language-yaml.tmp"
    go_build_with_progress "$YAML_MODDIR" "pulumi-language-yaml $YAML_WANT" "$BIN/pulumi-language-yaml.tmp" "$YAML_PKG" \
      "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=${YAML_WANT#v}" \
      || die "go build of pulumi-language-yaml $YAML_WANT failed (see above)"
    mv -f "$BIN/pulumi-language-yaml.tmp" "$BIN/pulumi-language-yaml"
    printf '%s\n' "$yaml_stamp" >"$BIN/.stamp-language-yaml"
  fi
fi

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
