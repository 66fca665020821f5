#!/usr/bin/env bash
# The house rules a grep can check (docs/ARCHITECTURE.md):
# - the server core (app/src/server) never imports the screens or the server functions:
#   api, pages, components and routes depend on it, never the other way round;
# - the contract layer (app/src/contract) depends on the domain only;
# - no source file is longer than 400 lines.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
status=0

if hits="$(grep -rn "crate::api\|crate::pages\|crate::components\|crate::routes" app/src/server)"; then
  echo "house.sh: app/src/server imports a layer above it:" >&2
  echo "$hits" >&2
  status=1
fi
if hits="$(grep -rn "crate::api\|crate::pages\|crate::components\|crate::routes\|crate::server\|crate::upload" app/src/contract)"; then
  echo "house.sh: app/src/contract may depend on crate::domain only:" >&2
  echo "$hits" >&2
  status=1
fi

max=400
while IFS= read -r file; do
  lines=$(wc -l <"$file")
  if [ "$lines" -gt "$max" ]; then
    echo "house.sh: $file has $lines lines (at most $max)" >&2
    status=1
  fi
done < <(git ls-files '*.rs' '*.ts' '*.js' '*.sh' '*.sql' | grep -v '^fuzz/corpus')

[ "$status" -eq 0 ] && echo "house.sh: layers and file sizes in order"
exit "$status"
