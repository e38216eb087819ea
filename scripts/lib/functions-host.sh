# Sourced by scripts/*.sh. Where the real Azure Functions host tool is (shared/functions-host:
# build.sh and run.sh; see its README), found as the tests find it: $FUNCTIONS_HOST_DIR, else
# shared/functions-host in the repository's parent folder or the nearest folder above it that has
# one (a git worktree sits deeper than the main clone).

# functions_host_dir REPO_ROOT: prints the tool's folder; returns 1 (printing nothing) when there is none.
functions_host_dir() {
  if [ -n "${FUNCTIONS_HOST_DIR:-}" ]; then
    [ -f "$FUNCTIONS_HOST_DIR/run.sh" ] || return 1
    (cd "$FUNCTIONS_HOST_DIR" && pwd)
    return 0
  fi
  local dir
  dir=$(cd "$1/.." && pwd)
  while :; do
    if [ -f "$dir/shared/functions-host/run.sh" ]; then
      echo "$dir/shared/functions-host"
      return 0
    fi
    [ "$dir" = / ] && return 1
    dir=$(dirname "$dir")
  done
}
