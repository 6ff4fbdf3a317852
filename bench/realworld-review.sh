#!/usr/bin/env bash
# A whole `ekaci review` of a real package set against two reference evaluations (base and
# head) by bench/reference-walker.py, one after the other, on the same machine and store state.
#
#   bench/realworld-review.sh REPO BASE HEAD [--cache-dir DIR] [--workers N] [--file F] [--cold]
#                             [--buffered-reference]
#
# REPO is a local git repository (never copied into this project). --cache-dir is Nix's cache
# for evaluation (fetched trees such as a flake.lock pin), shared by both sides. By default the
# store is warmed first by an untimed review, so both sides find every .drv already written;
# --cold skips that (then run it on a fresh store, e.g. after nix-collect-garbage).
# --buffered-reference also times the walker with eka-ci's read buffer preloaded into its nix
# (lib/ekaci/nix-read-buffer.so), the reference without Nix 2.8's cost of quoting errors.
# Prints both times, the ratio, job and error counts of both sides, peak memory, and how the
# two job sets (attr -> drvPath, output paths) differ.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ekaci=${EKACI_BIN:-$root/build/bin/ekaci}
[[ $# -ge 3 ]] || { sed -n '2,15p' "$0"; exit 2; }
repo=$(cd "$1" && pwd); base=$2; head=$3; shift 3
cache_dir=""; workers=2; file=""; warm=1; buffered=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --cache-dir) cache_dir=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --file) file=$2; shift 2 ;;
    --cold) warm=0; shift ;;
    --buffered-reference) buffered=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x $ekaci ]] || { echo "build eka-ci first (scripts/build)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

base_sha=$(git -C "$repo" rev-parse "$base^{commit}")
head_sha=$(git -C "$repo" rev-parse "$head^{commit}")
for side in base head; do
  sha_var=${side}_sha
  mkdir -p "$work/$side"
  git -C "$repo" archive "${!sha_var}" | tar -x -C "$work/$side"
done
if [[ -z $file ]]; then
  # The first job of the repository's own configuration (a leading '/' is the repository root).
  file=$(python3 - "$work/head" <<'EOF'
import json, os, sys
for name in (".ekaci/config.json", ".eka-ci/config.json"):
    path = os.path.join(sys.argv[1], name)
    if os.path.exists(path):
        jobs = json.load(open(path)).get("jobs", {})
        if jobs:
            print(next(iter(jobs.values()))["file"].lstrip("/"))
            sys.exit()
print("default.nix")
EOF
)
fi

cat > "$work/ekaci.toml" <<EOF
state_dir = "$work/state"
db_path = "$work/state/db.sqlite"
EOF
if [[ -n $cache_dir ]]; then printf '[evaluators.legacy]\ncache_dir = "%s"\n' "$cache_dir" >> "$work/ekaci.toml"; fi
walker_env=()
[[ -n $cache_dir ]] && walker_env=(--cache-dir "$cache_dir")

review() {  # $1: label; the review's wall time and peak RSS go to $work/$1.time
  rm -rf "$work/state"
  /usr/bin/time -f "%e %M" -o "$work/$1.time" "$ekaci" --config "$work/ekaci.toml" review --repo "$repo" \
    --base "$base_sha" --head "$head_sha" --workers "$workers" --quiet --json "$work/$1.json" \
    --markdown "$work/$1.md" || [[ $? -eq 1 ]]
}
if ((warm)); then
  echo "warming the store (untimed review)..."
  review warmup
fi

echo "reference: bench/reference-walker.py at base, then at head (file $file)"
for side in base head; do
  /usr/bin/time -f "%e %M" -o "$work/ref-$side.time" python3 "$root/bench/reference-walker.py" \
    "$work/$side/$file" "${walker_env[@]}" > "$work/ref-$side.tsv"
done
if ((buffered)); then
  read_buffer=$(dirname "$ekaci")/../lib/ekaci/nix-read-buffer.so
  [[ -f $read_buffer ]] || { echo "no $read_buffer (build eka-ci first)" >&2; exit 2; }
  echo "reference with the read buffer: base, then head"
  for side in base head; do
    /usr/bin/time -f "%e %M" -o "$work/buf-$side.time" python3 "$root/bench/reference-walker.py" \
      "$work/$side/$file" "${walker_env[@]}" --preload "$read_buffer" > "$work/buf-$side.tsv"
    cmp -s "$work/buf-$side.tsv" "$work/ref-$side.tsv" || echo "  the buffered walker's $side differs from the plain one" >&2
  done
fi
echo "eka-ci: ekaci review --workers $workers"
review timed

read -r ref_base_s ref_base_kb < "$work/ref-base.time"
read -r ref_head_s ref_head_kb < "$work/ref-head.time"
read -r review_s review_kb < "$work/timed.time"

# Head jobs as eka-ci stored them: attr, drvPath (or ERROR), outputs.
sqlite3 -separator $'\t' "$work/state/db.sqlite" "
  SELECT j.attr_path,
         CASE WHEN j.eval_error IS NOT NULL THEN 'ERROR' ELSE d.drv_path END,
         CASE WHEN j.eval_error IS NOT NULL THEN '' ELSE
           (SELECT group_concat(path, ',') FROM (SELECT path FROM drv_outputs o WHERE o.drv_id = d.id ORDER BY name)) END
  FROM jobs j JOIN jobsets s ON s.id = j.jobset_id JOIN commits c ON c.id = s.commit_id
  LEFT JOIN drvs d ON d.id = j.drv_id WHERE c.sha = '$head_sha' ORDER BY j.attr_path" > "$work/ekaci-head.tsv"

python3 - "$work" <<'EOF'
import sys
work = sys.argv[1]
def load(path, sort_outputs):
    jobs = {}
    for line in open(path):
        attr, what, *rest = line.rstrip("\n").split("\t")
        outs = rest[0] if rest else ""
        if sort_outputs: outs = ",".join(sorted(outs.split(",")))
        jobs[attr] = "ERROR" if what == "ERROR" else what + " " + outs
    return jobs
ref, ours = load(work + "/ref-head.tsv", True), load(work + "/ekaci-head.tsv", True)
count = lambda j: (sum(v != "ERROR" for v in j.values()), sum(v == "ERROR" for v in j.values()))
print("head jobs / errors: reference %d / %d, eka-ci %d / %d" % (count(ref) + count(ours)))
only_ref = sorted(set(ref) - set(ours)); only_ours = sorted(set(ours) - set(ref))
differ = sorted(a for a in set(ref) & set(ours) if ref[a] != ours[a])
print("attributes only the reference lists: %d %s" % (len(only_ref), " ".join(only_ref[:10])))
print("attributes only eka-ci lists: %d %s" % (len(only_ours), " ".join(only_ours[:10])))
print("attributes that differ (drvPath, outputs or error): %d" % len(differ))
for a in differ[:10]: print("  %s: reference %s | eka-ci %s" % (a, ref[a][:90], ours[a][:90]))
# Rebuilds by nixpkgs' rule: a head job with an output path no base job has.
base_outputs = set()
for v in load(work + "/ref-base.tsv", True).values():
    if v != "ERROR": base_outputs.update(v.split(" ", 1)[1].split(","))
rebuilt = sorted(a for a, v in ref.items() if v != "ERROR" and any(o not in base_outputs for o in v.split(" ", 1)[1].split(",")))
import json
report = json.load(open(work + "/timed.json"))
ekaci_rebuilds = sum(r["count"] for job in report["jobs"] for r in job.get("rebuilds", []))
ekaci_rebuilt = sorted(c["attr"] for job in report["jobs"] for c in job.get("changes", []) if c.get("rebuild"))
print("rebuilds (jobs with an output path new at head): reference %d, eka-ci %d" % (len(rebuilt), ekaci_rebuilds))
if ekaci_rebuilt and set(ekaci_rebuilt) != set(rebuilt):
    print("  rebuilt only per the reference: %s" % " ".join(sorted(set(rebuilt) - set(ekaci_rebuilt))[:10]))
    print("  rebuilt only per eka-ci: %s" % " ".join(sorted(set(ekaci_rebuilt) - set(rebuilt))[:10]))
EOF
python3 - "$ref_base_s" "$ref_head_s" "$review_s" "$ref_base_kb" "$ref_head_kb" "$review_kb" <<'EOF'
import sys
rb, rh, rv = map(float, sys.argv[1:4]); kb = list(map(int, sys.argv[4:7]))
print("reference evaluations: base %.1f s + head %.1f s = %.1f s (peak %d MiB)" % (rb, rh, rb + rh, max(kb[:2]) // 1024))
print("ekaci review (both evaluations, closure walk, diff, report): %.1f s (largest process %d MiB)" % (rv, kb[2] // 1024))
print("ratio review / two reference evaluations: %.2f" % (rv / (rb + rh)))
EOF
if ((buffered)); then
  read -r buf_base_s _ < "$work/buf-base.time"; read -r buf_head_s _ < "$work/buf-head.time"
  python3 -c "import sys; b, h, r = map(float, sys.argv[1:]); print('reference with the read buffer: base %.1f s + head %.1f s = %.1f s, ratio %.2f' % (b, h, b + h, r / (b + h)))" \
    "$buf_base_s" "$buf_head_s" "$review_s"
fi
grep -m1 -A3 "^### Job" "$work/timed.md" || true
