#!/usr/bin/env bash
# Evaluation at scale: a generated package set of N derivations (default 100,000), reviewed
# end to end by `ekaci review` (evaluation in bounded worker processes writing the .drv
# files, closure walk, SQLite, diff), against the obvious alternatives in one run:
# `nix-instantiate` (the same .drv files written by one process) and `nix-env -qaP
# --drv-path` (a listing that writes nothing). Each tool gets its own, never-seen-before
# derivations (a tag in their names), so none profits from another's store writes.
# Reports wall time and peak resident memory (of the largest process).
#   bench/eval-scale.sh [N] [WORKERS]
set -euo pipefail
n=${1:-100000}
workers=${2:-2}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EKACI_BUILD_DIR:-$root/build}
work=$(mktemp -d "${TMPDIR:-/tmp}/ekaci-scale-XXXXXX")
trap 'rm -rf "$work"' EXIT

repo=$work/repo
mkdir -p "$repo"
git -C "$repo" init -q -b main
cat > "$repo/default.nix" <<'NIX'
{ }: { }
NIX
git -C "$repo" add -A
git -C "$repo" -c user.name=b -c user.email=b@x commit -q -m empty
run=$(date +%s%N)
cat > "$repo/default.nix" <<NIX
{ tag ? "review" }:
builtins.listToAttrs (builtins.genList (i: {
  name = "pkg\${toString i}";
  value = derivation {
    name = "scale-$run-\${tag}-\${toString i}";
    system = builtins.currentSystem;
    builder = "/bin/sh";
    args = [ "-c" "echo \${toString i} > \$out" ];
  };
}) $n)
NIX
git -C "$repo" add -A
git -C "$repo" -c user.name=b -c user.email=b@x commit -q -m "$n packages"

measure() { # label command...
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || true
  read -r seconds kib < "$work/time"
  printf '%-42s %8.1f s %8d MiB\n' "$label" "$seconds" "$((kib / 1024))"
}

echo "package set: $n derivations, $workers workers"
measure "nix-env -qaP --drv-path (writes nothing)" nix-env -qaP --drv-path -f "$repo/default.nix" --argstr tag listing
echo "  (listed $(wc -l < "$work/out") attributes)"
measure "nix-instantiate (writes every .drv)" nix-instantiate "$repo/default.nix" --argstr tag instantiate
echo "  (instantiated $(wc -l < "$work/out") derivations)"
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config
measure "ekaci review (evaluate, walk, store, diff)" \
  "$build/bin/ekaci" review --repo "$repo" --workers "$workers" --json "$work/review.json" --quiet
grep -o '"added": [0-9]*' "$work/review.json" | head -1 | sed 's/^/  /'
grep -o '"head_eval_ms": [0-9]*' "$work/review.json" | head -1 | sed 's/^/  /'
