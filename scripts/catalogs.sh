#!/usr/bin/env bash
# Extract the interface's messages (babel.cfg) and update the catalogs of every
# language; then translate the new entries of docrepo/locale/fr/LC_MESSAGES/docrepo.po.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VENV:-.venv}/bin
"$bin/pybabel" extract -F babel.cfg --no-location --sort-output --omit-header \
  -k N_ -o docrepo/locale/docrepo.pot .
for lang in fr en; do
  po=docrepo/locale/$lang/LC_MESSAGES/docrepo.po
  if [[ -f $po ]]; then
    "$bin/pybabel" update -D docrepo -d docrepo/locale -l "$lang" \
      -i docrepo/locale/docrepo.pot --no-fuzzy-matching --ignore-obsolete
  else
    "$bin/pybabel" init -D docrepo -d docrepo/locale -l "$lang" -i docrepo/locale/docrepo.pot
  fi
done
