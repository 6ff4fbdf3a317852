#!/usr/bin/env bash
# Builds examples/out_of_tree_plugin against the SDK installed into a temporary prefix, runs
# its conformance test, and has the installed server load it.
set -euo pipefail
build_dir=$1
source_dir=$2
compiler=${3:-c++}
flags=${4:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/ekaci-oot-XXXXXX")
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/lib/cmake/EkaCiSdk/EkaCiSdkConfig.cmake"
test -f "$work/prefix/include/ekaci/sdk/PluginEntry.h"

sanitize=OFF
[[ -n $flags ]] && sanitize=ON
cmake -S "$source_dir/examples/out_of_tree_plugin" -B "$work/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$compiler" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_MODULE_LINKER_FLAGS="$flags" \
  -DEKACI_SANITIZE=$sanitize > "$work/configure.log"
cmake --build "$work/build" > "$work/build.log"
ctest --test-dir "$work/build" --output-on-failure

# The installed server accepts the plugin (same SDK, same compiler).
mkdir -p "$work/home"
cat > "$work/ekaci.toml" <<TOML
plugin_paths = ["$work/build/directory_cache.so"]
TOML
HOME="$work/home" XDG_DATA_HOME="$work/home/data" "$work/prefix/bin/eka-ci-server" \
  --config "$work/ekaci.toml" --check-config | tee "$work/check.log"
# Every installed plugin and the out-of-tree one.
installed=$(find "$work/prefix/lib/ekaci/plugins" -name '*.so' | wc -l)
grep -q "($((installed + 1)) plugins loaded)" "$work/check.log"

# Configured as a [[caches]] block of its own type and used: a review that builds pushes the
# new package to it, as the server would.
repo="$work/repo"
mkdir -p "$repo/.ekaci"
git -C "$repo" init -q -b main
git -C "$repo" config user.name t
git -C "$repo" config user.email t@example.invalid
echo '{ "jobs": { "packages": { "file": "default.nix", "caches": ["acme"] } } }' > "$repo/.ekaci/config.json"
echo '{ }' > "$repo/default.nix"
git -C "$repo" add -A && git -C "$repo" commit -q -m base
cat > "$repo/default.nix" <<NIX
{ hello = derivation { name = "oot-hello"; system = builtins.currentSystem; builder = "/bin/sh";
    args = [ "-c" "echo $(date +%s%N) > \$out" ]; }; }
NIX
git -C "$repo" commit -q -am "add hello"
cat > "$work/ekaci.toml" <<TOML
plugin_paths = ["$work/build/directory_cache.so"]

[[caches]]
id = "acme"
cache_type = "acme.directory"
TOML
HOME="$work/home" XDG_DATA_HOME="$work/home/data" NIX_CONFIG="substituters =" "$work/prefix/bin/ekaci" \
  --config "$work/ekaci.toml" review --repo "$repo" --base main~1 --head main --build --name acme/demo --quiet \
  > "$work/review.md"
pushed=$(grep -rl "acme/demo" "$work/home/data/ekaci/plugins/cache/acme.directory/acme/paths" | wc -l)
[[ $pushed -ge 1 ]] || { echo "the out-of-tree cache received nothing"; cat "$work/review.md"; exit 1; }
echo "out-of-tree plugin: built against the installed SDK, conformance passed, loaded by the server, pushed to"
