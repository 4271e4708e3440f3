# Shared by scripts/start and scripts/test: a project virtualenv with pinned dependencies.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Jiedao needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
install_project() {  # $1: extras, e.g. "[test]" or ""
  .venv/bin/python -m pip install --quiet -c constraints.txt -e ".$1"
  .venv/bin/jiedao compile-translations --verbosity 0 >/dev/null
}
