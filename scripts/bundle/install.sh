#!/bin/sh
# Install reprisal-cli from this folder, without the internet: sh install.sh TARGET
#
# Creates a virtual environment at TARGET (python3 -m venv; where Python has no venv/ensurepip, as on
# Debian and Ubuntu without python3-venv, virtualenv run from its own wheel in this folder), then
# installs with pip --no-index --find-links wheels/. Nothing is downloaded, nothing is written
# outside TARGET (pip's cache is off; virtualenv's app data goes to a temporary folder, removed).
#
# PYTHON=/path/to/python3 chooses the Python (default: python3).
# REPRISAL_BUNDLE_FORCE_VIRTUALENV=1 uses virtualenv even where venv works (for tests).
# POSIX sh, so that `sh install.sh` works with dash as well as bash.
set -eu
if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi

die() {
  echo "install: $*" >&2
  exit 1
}

[ $# -eq 1 ] && [ -n "$1" ] || die "usage: sh install.sh TARGET   (for example: sh install.sh ~/reprisal-cli)"
TARGET=$1
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${PYTHON:-python3}

command -v "$PY" >/dev/null 2>&1 || die "no '$PY' found: install Python 3 first, or run PYTHON=/path/to/python3 sh install.sh $TARGET"

# Nothing from the caller's Python or pip settings may change what is installed, or reach a network.
unset PYTHONPATH PYTHONHOME PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_REQUIRE_HASHES || true
PIP_CONFIG_FILE=/dev/null
PIP_DISABLE_PIP_VERSION_CHECK=1
PIP_NO_INPUT=1
export PIP_CONFIG_FILE PIP_DISABLE_PIP_VERSION_CHECK PIP_NO_INPUT

# The sums, then the Python: a damaged bundle or a Python it was not built for stops here.
"$PY" "$HERE/check_bundle.py" "$HERE" || exit 1

case $TARGET in
  /*) ;;
  *) TARGET=$(pwd)/$TARGET ;;
esac

created=""
TMP=""
cleanup() {
  status=$?
  [ -n "$TMP" ] && rm -rf "$TMP"
  if [ "$status" -ne 0 ] && [ -n "$created" ]; then
    rm -rf "$TARGET"
    echo "install: failed; removed the half-made $TARGET" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

with_virtualenv() {
  TMP=$(mktemp -d)
  path=""
  for wheel in "$HERE"/virtualenv/*.whl; do
    path=$path${path:+:}$wheel
  done
  echo "install: creating $TARGET with virtualenv from this folder"
  PYTHONPATH=$path "$PY" -m virtualenv --quiet --no-periodic-update --app-data "$TMP/app-data" "$TARGET" \
    || die "virtualenv could not create $TARGET"
}

if [ -f "$TARGET/pyvenv.cfg" ]; then
  echo "install: $TARGET is already an environment: updating reprisal-cli in it"
elif [ -e "$TARGET" ] && [ -n "$(ls -A "$TARGET" 2>/dev/null || echo x)" ]; then
  die "$TARGET exists and is not empty: choose a new folder"
else
  created=yes
  if [ "${REPRISAL_BUNDLE_FORCE_VIRTUALENV:-}" != 1 ] && "$PY" -c "import venv, ensurepip" >/dev/null 2>&1; then
    echo "install: creating $TARGET with python -m venv"
    if ! "$PY" -m venv "$TARGET"; then
      echo "install: venv failed; trying virtualenv" >&2
      rm -rf "$TARGET"
      with_virtualenv
    fi
  else
    with_virtualenv
  fi
fi

[ -x "$TARGET/bin/python" ] || die "$TARGET/bin/python is missing: the environment was not created"
"$TARGET/bin/python" -m pip install --quiet --no-index --no-cache-dir --find-links "$HERE/wheels" \
  --upgrade -r "$HERE/requirements.txt" || die "pip could not install from $HERE/wheels"

# The installed knowledge base must be the one this bundle names.
expected=$(sed -n 's/^knowledge base fingerprint //p' "$HERE/FINGERPRINT")
version=$("$TARGET/bin/reprisal-cli" --version) || die "the installed reprisal-cli does not run"
case $version in
  *"$expected"*) ;;
  *) die "the installed knowledge base does not match FINGERPRINT ($expected): $version" ;;
esac
created=""

echo
echo "$version"
echo
echo "Installed. Compare the fingerprint above with the one you received through another channel."
echo "Start with:  $TARGET/bin/reprisal-cli assess"
