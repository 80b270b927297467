# Puts a Node that this project's dependencies accept on PATH; source it:  . scripts/setup.sh
#
# The tools need Node ^22.15 || ^24 (commander 15, webpack-cli 7's rechoir, dependency-cruiser).
# When the `node` on PATH is older (Debian's Node 20, say), Node 24 LTS is fetched once from the
# npm registry (the node-linux-<arch> package: the official binary) into .tools/node, git-ignored,
# and put first on PATH. The system's npm runs fine on it. No other download, no root needed.
# POSIX sh, no `set -e`: it runs inside the caller's shell.

hdr_node_version=24.22.3
# bash and zsh say where this file is; plain sh does not, so there it must be sourced from the repo root.
hdr_root=$(cd "$(dirname "${BASH_SOURCE:-${ZSH_VERSION:+$0}}")/.." 2>/dev/null && pwd)
[ -f "$hdr_root/scripts/setup.sh" ] || hdr_root=$(pwd)
hdr_tools="$hdr_root/.tools/node"

hdr_node_ok() {
  command -v node >/dev/null 2>&1 && node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit((major === 22 && minor >= 15) || major === 24 || major >= 26 ? 0 : 1)'
}

if hdr_node_ok; then
  : # the node on PATH will do
elif [ -x "$hdr_tools/bin/node" ]; then
  PATH="$hdr_tools/bin:$PATH"
else
  case "$(uname -m)" in
    x86_64) hdr_arch=x64 ;;
    aarch64 | arm64) hdr_arch=arm64 ;;
    *) hdr_arch=unsupported ;;
  esac
  echo "setup: Node $(node --version 2>/dev/null || echo '(none)') is too old; fetching Node $hdr_node_version into .tools/node" >&2
  rm -rf "$hdr_tools.part" && mkdir -p "$hdr_tools.part" &&
    (cd "$hdr_tools.part" && npm pack --silent "node-linux-$hdr_arch@$hdr_node_version" >/dev/null &&
      tar xzf node-linux-*.tgz --strip-components=1 && rm node-linux-*.tgz) &&
    mv "$hdr_tools.part" "$hdr_tools" && PATH="$hdr_tools/bin:$PATH" ||
    echo "setup: could not fetch Node $hdr_node_version for $(uname -m); install Node 24 by hand" >&2
fi
export PATH

# onnxruntime-node's own switch for its CUDA download (package.json's allowScripts denies the
# script on npm >= 11.19; older npm runs it, and this makes it exit at once).
export ONNXRUNTIME_NODE_INSTALL=skip

unset hdr_node_version hdr_root hdr_tools hdr_arch
unset -f hdr_node_ok
