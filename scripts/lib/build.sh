# Sourced by scripts/run-local.sh: builds a project only when its sources changed since its last
# build here. MSBuild's own up-to-date check of the Functions app takes 3-5 s even when nothing
# changed (the Functions SDK restores and builds its generated WorkerExtensions project every time);
# comparing file names, sizes and times takes a few milliseconds.

# sources_hash DIR...: one hash of the names, sizes and times of the files under the DIRs (bin/ and
# obj/ left out) and of the repository's build settings.
sources_hash() {
  find "$@" host.json local.settings.example.json Directory.Build.props Directory.Packages.props \
      \( -name bin -o -name obj \) -prune -o -type f -printf '%p %s %T@\n' 2>/dev/null | sort | sha256sum
}

# mark_built NAME DIR...: records that what NAME builds from the DIRs is built as they are now.
mark_built() {
  local name=$1
  shift
  sources_hash "$@" > ".local/build-$name.stamp"
}

# build_if_changed NAME PROJECT OUTPUT DIR...: `dotnet build -c Release` of PROJECT unless OUTPUT
# exists and no file under the DIRs, nor a build setting, was added, removed or changed since the
# last successful build marked NAME. Prints "built" or "up to date"; on a failed build prints the
# compiler's errors and returns 1.
build_if_changed() {
  local name=$1 project=$2 output=$3 sources
  shift 3
  # Taken before the build: a file saved while it runs makes the next run build again.
  sources=$(sources_hash "$@")
  if [ -f "$output" ] && [ -f ".local/build-$name.stamp" ] && [ "$(cat ".local/build-$name.stamp")" = "$sources" ]; then
    echo "up to date"
    return 0
  fi
  rm -f ".local/build-$name.stamp"
  if ! dotnet build "$project" -c Release -nologo -clp:ErrorsOnly -v:q > ".local/build-$name.log" 2>&1; then
    grep -E ': error ' ".local/build-$name.log" | sort -u >&2 || cat ".local/build-$name.log" >&2
    return 1
  fi
  echo "$sources" > ".local/build-$name.stamp"
  echo "built"
}
