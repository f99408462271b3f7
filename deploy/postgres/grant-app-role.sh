#!/bin/sh
# After each `openehcp migrate`: gives the service's role (openehcp_app) its rights, as the database's owner, with the
# exact statements of docs/audit-log.md (the block between its grants markers, which
# src/data/roles.postgres.int.test.ts runs and checks). Idempotent: safe to run after every upgrade.
set -eu
doc=${AUDIT_LOG_DOC:-/openehcp/docs/audit-log.md}
sql=$(sed -n '/<!-- grants:start -->/,/<!-- grants:end -->/p' "$doc" | grep -v -e '^<!--' -e '^```')
if [ -z "$sql" ]; then
  echo "grant-app-role: no grants block in docs/audit-log.md" >&2
  exit 1
fi
printf '%s\n' "$sql" | psql -v ON_ERROR_STOP=1 --quiet
echo "grant-app-role: openehcp_app has the service's rights"
