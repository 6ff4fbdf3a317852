#!/usr/bin/env bash
# Measuring output and closure sizes: eka-ci's way (one `nix-store --check-validity` and one
# `nix path-info --json --closure-size` for every output of a review) against the obvious
# alternative, one `nix path-info --closure-size` per output, in one run on N outputs
# (default 500) built here: a chain in which each output refers to the previous one, so
# closures really are summed.
#   bench/size-query.sh [N]
set -euo pipefail
n=${1:-500}
sample=50  # outputs measured one process each (extrapolated to N)
work=$(mktemp -d "${TMPDIR:-/tmp}/ekaci-sizes-XXXXXX")
trap 'rm -rf "$work"' EXIT
tag=$(date +%s%N)
cat > "$work/chain.nix" <<NIX
let
  mk = i: prev: derivation {
    name = "size-\${toString i}-$tag"; system = builtins.currentSystem; builder = "/bin/sh";
    args = [ "-c" "echo \${toString i} \${prev} > \$out" ];
  };
  chain = builtins.foldl' (acc: i: acc ++ [ (mk i (if acc == [ ] then "" else builtins.elemAt acc (i - 1))) ]) [ ] (builtins.genList (i: i) $n);
in chain
NIX
echo "building $n chained outputs..." >&2
mapfile -t outs < <(nix-build --no-out-link --option substituters "" "$work/chain.nix" 2>/dev/null)
[[ ${#outs[@]} -eq $n ]] || { echo "expected $n outputs, got ${#outs[@]}" >&2; exit 1; }
nix=(nix --extra-experimental-features nix-command --option substituters "")

start=$(date +%s%N)
nix-store --check-validity --print-invalid "${outs[@]}" >/dev/null
"${nix[@]}" path-info --json --closure-size "${outs[@]}" >"$work/all.json"
batched=$(( ($(date +%s%N) - start) / 1000000 ))

start=$(date +%s%N)
for out in "${outs[@]:0:$sample}"; do "${nix[@]}" path-info --json --closure-size "$out" >/dev/null; done
each=$(( ($(date +%s%N) - start) / 1000000 ))

last=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(max(e["closureSize"] for e in d))' "$work/all.json")
echo "outputs: $n (largest closure: $last bytes)"
echo "one batch (check-validity + path-info): ${batched} ms"
echo "one process per output: ${each} ms for $sample, $(( each * n / sample )) ms extrapolated to $n"
