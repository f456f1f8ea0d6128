#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (which builds through `prepare`), then for the lowest aws-cdk-lib
# the peer range accepts and for the pinned one, a clean directory with examples/consumer, the tarball and only
# the peer dependencies; there it type-checks the app against eksplan's .d.ts, synthesizes it with the cdk CLI,
# plans it with the simulation API (eksplan/simulation) and with the installed `eksplan plan`, and times
# `eksplan --help`. Exit non-zero on the first failure. `--prebuilt` packs dist/ as is (CI: npm ci just built it).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="$(mktemp -d "${TMPDIR:-/tmp}/eksplan-package-XXXXXX")"
trap 'rm -rf "$work"' EXIT
export CDK_DISABLE_VERSION_CHECK=true CDK_DISABLE_CLI_TELEMETRY=true

pkg() { node -p "require('./package.json').$1"; }
lowest() { node -p "require('./package.json').peerDependencies['$1'].replace(/^[\\^~]/, '')"; }
pinned() { node -p "require('./package.json').devDependencies['$1']"; }

start=$SECONDS
# --prebuilt: dist/ was just built (npm ci runs prepare), so pack it as is instead of building again.
pack_flags=()
[ "${1:-}" = "--prebuilt" ] && pack_flags=(--ignore-scripts)
npm pack --silent "${pack_flags[@]}" --pack-destination "$work" >/dev/null
tarball="$(ls "$work"/eksplan-*.tgz)"
echo "check-package: packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB) in $((SECONDS - start)) s"

tools_cdk="$(pinned aws-cdk)"; tools_typescript="$(pinned typescript)"; tools_types_node="$(pinned @types/node)"
# The example's unit test (platform.test.ts: eksplan/testing's jest matchers) runs with the project's own jest.
tools_jest="$(pinned jest)"; tools_types_jest="$(pinned @types/jest)"
# name aws-cdk-lib constructs cdk8s cdk8s-plus-28
matrix=(
  "lowest $(lowest aws-cdk-lib) $(lowest constructs) $(lowest cdk8s) $(lowest cdk8s-plus-28)"
  "pinned $(pinned aws-cdk-lib) $(pinned constructs) $(pinned cdk8s) $(pinned cdk8s-plus-28)"
)
for row in "${matrix[@]}"; do
  read -r name cdklib constructs cdk8s plus <<<"$row"
  dir="$work/consumer-$name"
  step=$SECONDS
  if [ -z "${previous:-}" ]; then
    cp -r "$root/examples/consumer" "$dir"
    cd "$dir"
    npm install --no-audit --no-fund --loglevel=error \
      "$tarball" "aws-cdk-lib@$cdklib" "constructs@$constructs" "cdk8s@$cdk8s" "cdk8s-plus-28@$plus" \
      "aws-cdk@$tools_cdk" "typescript@$tools_typescript" "@types/node@$tools_types_node" \
      "jest@$tools_jest" "@types/jest@$tools_types_jest" >/dev/null
  else
    # The next row starts from the previous install (same tarball and tools) and changes only the CDK libraries.
    cp -r "$root/examples/consumer" "$dir"
    cp -r "$previous/node_modules" "$previous/package.json" "$previous/package-lock.json" "$dir/"
    cd "$dir"
    npm install --no-audit --no-fund --loglevel=error "aws-cdk-lib@$cdklib" "constructs@$constructs" "cdk8s@$cdk8s" "cdk8s-plus-28@$plus" >/dev/null
  fi
  previous="$dir"
  [ "$(node -p "require('aws-cdk-lib/package.json').version")" = "$cdklib" ] || { echo "check-package: aws-cdk-lib $cdklib not installed"; exit 1; }
  # One copy of each CDK library: eksplan uses the app's (peer dependencies), never its own.
  copies="$(find node_modules -path '*/aws-cdk-lib/package.json' -not -path '*/aws-cdk-lib/node_modules/*' | wc -l)"
  [ "$copies" -eq 1 ] || { echo "check-package: $copies copies of aws-cdk-lib installed"; exit 1; }
  echo "check-package [$name: aws-cdk-lib $cdklib, constructs $constructs, cdk8s $cdk8s, cdk8s-plus-28 $plus]: installed in $((SECONDS - step)) s"
  npx tsc -p tsconfig.json
  npx cdk synth --quiet >/dev/null
  node verify.js cdk.out | head -n 1
  # The matchers from the packed package, typed by tsc above (the test would not compile without their declarations):
  # the stack planned in-process under load.yaml, next to a Template.fromStack assertion, leaving no assembly behind.
  mkdir -p "$dir/tmp-jest"
  jest_start=$SECONDS
  TMPDIR="$dir/tmp-jest" npx jest --ci >"$dir/jest.log" 2>&1 || { cat "$dir/jest.log"; echo "check-package: the example's jest test failed"; exit 1; }
  grep -E '^Tests:' "$dir/jest.log"
  # jest keeps its cache there (jest_*); a cdk.out* left behind would be an assembly eksplan/testing did not remove.
  left="$(cd "$dir/tmp-jest" && ls -d cdk.out* 2>/dev/null || true)"
  [ -z "$left" ] || { echo "check-package: the jest run left $left behind"; exit 1; }
  echo "check-package [$name]: example jest test (eksplan/testing matchers) passed in $((SECONDS - jest_start)) s"
  if [ "$name" = pinned ]; then
    # plan synthesizes with the app's cdk.json and the project's aws-cdk into TMPDIR, and removes what it wrote.
    mkdir -p "$dir/tmp"
    TMPDIR="$dir/tmp" npx eksplan plan --scenario load.yaml --format markdown --out report >/dev/null
    [ -z "$(ls -A "$dir/tmp")" ] || { echo "check-package: plan left $(ls "$dir/tmp") behind"; exit 1; }
  else
    # One synth per row is enough: the other rows plan the assembly cdk synth just wrote.
    npx eksplan plan --assembly cdk.out --scenario load.yaml --format markdown --out report >/dev/null
  fi
  head -n 1 report/eksplan-report.md
  begin=$(date +%s%N); node node_modules/eksplan/dist/bin/eksplan.js --help >/dev/null; middle=$(date +%s%N); npx --no-install eksplan --help >/dev/null; end=$(date +%s%N)
  echo "check-package [$name]: eksplan --help in $(( (middle - begin) / 1000000 )) ms (through npx: $(( (end - middle) / 1000000 )) ms); done in $((SECONDS - step)) s"
  cd "$root"
done
echo "check-package: ok in $((SECONDS - start)) s"
