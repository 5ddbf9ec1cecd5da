#!/usr/bin/env bash
# The packed CLI as a user gets it: npm pack, install the tarball into an empty folder, run it there.
# Catches what only a package shows: a file left out of `files`, a runtime need of tsx or of a
# devDependency, a path that holds only inside a clone. The report must match the clone's.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
started=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  printf 'pack-smoke: %s\n' "$*" >&2
  exit 1
}

# prepack runs `npm run build`, so the tarball always holds a fresh dist/.
tgz=$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)
[ -f "$tgz" ] || fail "npm pack wrote no tarball"
listing=$(tar -tzf "$tgz")
for f in package/bin/skewguard.cjs package/dist/skewguard.cjs package/docs/runbooks/KubeletVersionSkew.md; do
  grep -qx "$f" <<<"$listing" || fail "$f is missing from the tarball"
done
if grep -E '\.ts$' <<<"$listing"; then fail "the tarball ships TypeScript (above)"; fi

mkdir "$work/app"
cd "$work/app"
# Dependencies from the npm cache where it has them; the tarball itself is local.
timeout 300 npm install --prefer-offline --no-audit --no-fund --loglevel=error "$tgz" >/dev/null
# What runs must need no tsx and none of the CDK app's packages.
for dev in tsx aws-cdk-lib typescript esbuild; do
  [ ! -e "node_modules/$dev" ] || fail "installing the tarball pulled in $dev"
done

# One command of the installed CLI and the same in the clone; stderr must stay empty in both.
run() {
  local name=$1
  shift
  npx --no-install skewguard "$@" >"$work/$name.packed" 2>"$work/$name.packed.err" ||
    fail "packed skewguard $* exited $?: $(cat "$work/$name.packed.err")"
  [ ! -s "$work/$name.packed.err" ] || fail "packed skewguard $* wrote to stderr: $(cat "$work/$name.packed.err")"
}
demo=$repo/examples/demo-cluster
run check check --from-file "$demo" --cluster demo-eks --fail-on never
run rules rules
run explain explain KubeletVersionSkew
run version --version

(cd "$repo" && npm run --silent demo) >"$work/check.clone"
(cd "$repo" && node bin/skewguard.cjs rules) >"$work/rules.clone"
(cd "$repo" && node bin/skewguard.cjs explain KubeletVersionSkew) >"$work/explain.clone"

# The check's clock is the run's: drop timestamps and the "(16d 3h ago)" they imply.
clockless() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/<time>/g; s/\([0-9][^()]* ago\)/(<ago>)/g' "$1"; }
diff -u <(clockless "$work/check.clone") <(clockless "$work/check.packed") ||
  fail "the packed check's report differs from npm run demo (above)"
for want in '6 firing (3 critical, 3 warning)' '[CRITICAL] DeploymentRolloutStuck' 'KubeletVersionSkew'; do
  grep -qF "$want" "$work/check.packed" || fail "the packed check's report lacks \"$want\""
done
diff -u "$work/rules.clone" "$work/rules.packed" || fail "packed rules differ from the clone's"
diff -u "$work/explain.clone" "$work/explain.packed" || fail "packed explain differs from the clone's"
version=$(node -p "require('$repo/package.json').version")
[ "$(cat "$work/version.packed")" = "$version" ] || fail "packed --version printed $(cat "$work/version.packed"), not $version"

# The AWS SDK's Node < 22 warning stays out of the output. A role profile makes the SigV4 signer
# build an STS client (which is when the SDK warns); STS at a closed port fails that at once.
printf '[profile src]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = example\n[profile role]\nrole_arn = arn:aws:iam::123456789012:role/example\nsource_profile = src\nregion = eu-west-1\n' >"$work/aws-config"
amp=https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234abcd/
code=0
AWS_CONFIG_FILE=$work/aws-config AWS_SHARED_CREDENTIALS_FILE=$work/none AWS_PROFILE=role \
  AWS_ENDPOINT_URL_STS=http://127.0.0.1:1 timeout 60 \
  npx --no-install skewguard check --prometheus-url "$amp" --cluster x >/dev/null 2>"$work/amp.err" || code=$?
[ "$code" = 2 ] || fail "the SigV4 check without reachable STS exited $code, not 2: $(cat "$work/amp.err")"
grep -q 'no usable AWS credentials' "$work/amp.err" || fail "the SigV4 check did not reach the signer: $(cat "$work/amp.err")"
if grep -q NodeVersionSupportWarning "$work/amp.err"; then fail "the AWS SDK's Node.js warning reached stderr"; fi

# notify-test loads the SNS client from the installed dependencies: SNS at a closed port refuses.
code=0
AWS_ACCESS_KEY_ID=AKIAEXAMPLE AWS_SECRET_ACCESS_KEY=example AWS_ENDPOINT_URL_SNS=http://127.0.0.1:1 \
  timeout 60 npx --no-install skewguard notify-test \
  --topic-arn arn:aws:sns:eu-west-1:123456789012:skewguard >/dev/null 2>"$work/sns.err" || code=$?
[ "$code" = 2 ] || fail "notify-test without reachable SNS exited $code, not 2: $(cat "$work/sns.err")"
grep -q 'SNS did not take the human test message' "$work/sns.err" ||
  fail "notify-test did not reach SNS: $(cat "$work/sns.err")"
if grep -q NodeVersionSupportWarning "$work/sns.err"; then fail "the AWS SDK's Node.js warning reached stderr"; fi

# Startup, for the log: the installed bin's --version against bare node (10 runs each).
per_run() {
  local t0
  t0=$(date +%s%N)
  for _ in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null; done
  echo $((($(date +%s%N) - t0) / 10000000))
}
bin=$work/app/node_modules/.bin/skewguard
echo "pack-smoke: ok in $((SECONDS - started))s ($(basename "$tgz"), $(du -k "$tgz" | cut -f1) KB);" \
  "--version $(per_run "$bin" --version) ms, node -e 0 $(per_run node -e 0) ms"
