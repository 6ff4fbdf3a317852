#!/usr/bin/env bash
# Builds the demo repository: a small Nix package set in a git repository whose history has
# one commit for each kind of change eka-ci explains. Usage: make-demo-repo.sh DIRECTORY
#
#   v1          the initial package set
#   bump        hello: 2.12 -> 2.13 (a version bump)
#   add-remove  newtool added, oldtool removed
#   deep        libcore patched: a change deep in the graph with a large blast radius
#   fod-only    the source of `fetched` moves to another mirror (same fixed output: no rebuild)
#   license     licensed: MIT -> Apache-2.0 (metadata only)
#   eval-error  broken package added (an evaluation error)
#   docs        README edit only (change sets: no evaluation needed)
#   build-break app-c 2 fails to build (review --build: newly failing)
#   still-broken app-c 3 still fails, standalone 6 builds (still failing, still succeeding)
#   build-fix   app-c 4 builds again (newly succeeding)
#   size-growth standalone 7 depends on curl: its closure grows past size_check's 50 %
set -euo pipefail
dir=${1:?usage: make-demo-repo.sh DIRECTORY}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
git init -q -b main
git config user.name "eka-ci demo"
git config user.email "demo@eka-ci.invalid"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"

cp "$here/lib.nix" lib.nix
mkdir -p .ekaci
cat > .ekaci/config.json <<'JSON'
{
  "jobs": {
    "packages": { "file": "default.nix", "size_check": { "max_increase_percent": 50 } }
  },
  "rebuild_impact": { "max_top_blast_radius": 3 },
  "change_sets": [
    { "paths": ["README.md", "doc/**"], "kind": "docs-only" }
  ]
}
JSON
echo "# Demo package set" > README.md

# The package set, with placeholders the commits below edit.
cat > default.nix <<'NIX'
{ system ? builtins.currentSystem }:
let
  inherit (import ./lib.nix { inherit system; }) mkPackage fetchSource;
in
rec {
  libcore = mkPackage { pname = "libcore"; version = "1.0"; script = "echo core-v1 >> $out"; };
  libnet = mkPackage { pname = "libnet"; version = "0.9"; deps = [ libcore ]; };
  hello = mkPackage { pname = "hello"; version = "2.12"; deps = [ libcore ];
    license = { spdxId = "GPL-3.0-or-later"; }; maintainers = [ { github = "alice"; } ]; };
  curl = mkPackage { pname = "curl"; version = "8.5.0"; deps = [ libnet ]; };
  app-a = mkPackage { pname = "app-a"; version = "1"; deps = [ curl ]; };
  app-b = mkPackage { pname = "app-b"; version = "1"; deps = [ curl hello ]; };
  app-c = mkPackage { pname = "app-c"; version = "1"; deps = [ libnet ]; };
  app-d = mkPackage { pname = "app-d"; version = "1"; deps = [ app-a app-b ]; };
  fetched = mkPackage { pname = "fetched"; version = "3.1"; deps = [ (fetchSource { name = "fetched-src"; url = "https://mirror-one.example/fetched-3.1.tar"; }) ]; };
  licensed = mkPackage { pname = "licensed"; version = "0.4"; license = { spdxId = "MIT"; }; };
  oldtool = mkPackage { pname = "oldtool"; version = "0.1"; };
  standalone = mkPackage { pname = "standalone"; version = "5"; };
  #ADD
}
NIX
git add -A && git commit -q -m "Initial package set" && git tag v1

edit() { python3 - "$@"; }
replace() { # replace FILE OLD NEW
  python3 -c 'import sys; p,o,n=sys.argv[1:4]; s=open(p).read(); assert o in s, o; open(p,"w").write(s.replace(o,n,1))' "$@"
}

replace default.nix 'pname = "hello"; version = "2.12";' 'pname = "hello"; version = "2.13";'
git commit -q -am "hello: 2.12 -> 2.13" && git tag bump

replace default.nix '  oldtool = mkPackage { pname = "oldtool"; version = "0.1"; };
' ''
replace default.nix '  #ADD' '  newtool = mkPackage { pname = "newtool"; version = "1.0"; deps = [ hello ]; };
  #ADD'
git commit -q -am "Add newtool, remove oldtool" && git tag add-remove

replace default.nix 'script = "echo core-v1 >> $out";' 'script = "echo core-v1-patched >> $out";'
git commit -q -am "libcore: apply security patch" && git tag deep

replace default.nix 'https://mirror-one.example/fetched-3.1.tar' 'https://mirror-two.example/fetched-3.1.tar'
git commit -q -am "fetched: download from another mirror" && git tag fod-only

replace default.nix 'license = { spdxId = "MIT"; };' 'license = { spdxId = "Apache-2.0"; };'
git commit -q -am "licensed: relicense to Apache-2.0" && git tag license

replace default.nix '  #ADD' '  broken = mkPackage { pname = "broken"; version = "0"; deps = [ libcore.doesNotExist ]; };
  #ADD'
git commit -q -am "Add broken package" && git tag eval-error

echo "See the eka-ci documentation." >> README.md
git commit -q -am "README: link the documentation" && git tag docs

replace default.nix 'app-c = mkPackage { pname = "app-c"; version = "1"; deps = [ libnet ]; };' \
  'app-c = mkPackage { pname = "app-c"; version = "2"; deps = [ libnet ]; script = "echo missing header >&2; exit 1"; };'
git commit -q -am "app-c: 1 -> 2" && git tag build-break

replace default.nix 'pname = "app-c"; version = "2";' 'pname = "app-c"; version = "3";'
replace default.nix 'pname = "standalone"; version = "5";' 'pname = "standalone"; version = "6";'
git commit -q -am "app-c: 2 -> 3, standalone: 5 -> 6" && git tag still-broken

replace default.nix 'app-c = mkPackage { pname = "app-c"; version = "3"; deps = [ libnet ]; script = "echo missing header >&2; exit 1"; };' \
  'app-c = mkPackage { pname = "app-c"; version = "4"; deps = [ libnet ]; };'
git commit -q -am "app-c: 3 -> 4, fix the build" && git tag build-fix

replace default.nix 'standalone = mkPackage { pname = "standalone"; version = "6"; };' \
  'standalone = mkPackage { pname = "standalone"; version = "7"; deps = [ curl ]; };'
git commit -q -am "standalone: 6 -> 7, bundle curl" && git tag size-growth

echo "demo repository ready in $dir ($(git rev-list --count HEAD) commits)"
