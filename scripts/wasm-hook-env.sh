# Sourced by the Trunk post-build hooks that build WebAssembly (build-app.sh, build-studio.sh),
# from the repository's root: where to write (Trunk's staging directory), the pinned node tools
# (wasm-opt, terser in .tools/) and the cargo profile Trunk is building.
out="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
tools="$PWD/.tools/node_modules/.bin"
profile=debug; flags=()
if [ "${TRUNK_PROFILE:-}" = release ]; then profile=release; flags=(--release); fi
