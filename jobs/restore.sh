#!/bin/sh
# Restore of a memory-store export into a new database (R-DATA-5), in two phases:
#   restore.sh fetch    (AWS CLI image)  downloads the export (EXPORT_KEY, or the one the
#                                        `latest` pointer names) and its checksum, and
#                                        refuses an archive whose SHA-256 does not match
#   restore.sh restore  (postgres image) checks the checksum and the archive again, refuses
#                                        a target database that exists, creates it owned by
#                                        APP_ROLE and restores in one transaction; on any
#                                        failure it drops only the database it created
# A truncated or tampered export is refused before the target database is touched.
#
# Environment: WORK_DIR; fetch: BUCKET, PREFIX, EXPORT_KEY (default: latest),
#   optionally S3_ENDPOINT_URL; restore: ADMIN_DATABASE_URL_FILE, APP_ROLE, TARGET_DATABASE
#   (default: DEFAULT_TARGET_DATABASE).
set -eu
TARGET_DATABASE="${TARGET_DATABASE:-${DEFAULT_TARGET_DATABASE:-}}"

fail() { echo "restore: $*" >&2; exit 1; }
[ -n "${WORK_DIR:-}" ] && [ -d "$WORK_DIR" ] || fail "WORK_DIR is not a directory"
archive="$WORK_DIR/memory.dump"

case "${1:-}" in
fetch)
  for v in BUCKET PREFIX; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || fail "$v is not set"
  done
  get() {
    aws ${S3_ENDPOINT_URL:+--endpoint-url "$S3_ENDPOINT_URL"} s3 cp --only-show-errors --no-progress "s3://$BUCKET/$1" "$2" \
      || fail "cannot download s3://$BUCKET/$1"
  }
  rm -f "$archive" "$archive.sha256" "$WORK_DIR/key"
  key="${EXPORT_KEY:-latest}"
  if [ "$key" = latest ]; then
    get "$PREFIX/latest" "$WORK_DIR/latest"
    key=$(awk 'NR == 1 { print $2 }' "$WORK_DIR/latest")
    [ -n "$key" ] || fail "the latest pointer is empty"
  fi
  case "$key" in "$PREFIX"/*.dump) ;; *) fail "EXPORT_KEY $key is not an export under $PREFIX/" ;; esac
  get "$key" "$archive"
  get "$key.sha256" "$WORK_DIR/expected.sha256"
  expected=$(awk 'NR == 1 { print $1 }' "$WORK_DIR/expected.sha256")
  actual=$(sha256sum "$archive" | cut -d' ' -f1)
  if [ "$expected" != "$actual" ]; then
    rm -f "$archive"
    fail "checksum mismatch for $key: expected $expected, got $actual; refusing a truncated or tampered export"
  fi
  if [ -f "$WORK_DIR/latest" ] && [ "$(awk 'NR == 1 { print $1 }' "$WORK_DIR/latest")" != "$expected" ]; then
    rm -f "$archive"
    fail "checksum of $key differs from the latest pointer's; refusing"
  fi
  printf '%s  memory.dump\n' "$expected" >"$archive.sha256"
  echo "$key" >"$WORK_DIR/key"
  echo "restore: fetched $key ($(wc -c <"$archive") bytes, sha256 $expected)"
  ;;
restore)
  for v in ADMIN_DATABASE_URL_FILE TARGET_DATABASE APP_ROLE; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || fail "$v is not set"
  done
  printf '%s' "$TARGET_DATABASE" | grep -Eq '^[a-z_][a-z0-9_]{0,62}$' || fail "TARGET_DATABASE $TARGET_DATABASE is not a plain lower-case name"
  [ -s "$archive" ] && [ -s "$archive.sha256" ] || fail "no fetched export in $WORK_DIR"
  (cd "$WORK_DIR" && sha256sum -c memory.dump.sha256 >/dev/null 2>&1) || fail "checksum mismatch in $WORK_DIR; refusing"
  pg_restore --list "$archive" >/dev/null 2>&1 || fail "the export is not a readable pg_dump archive; refusing"
  admin_url=$(cat "$ADMIN_DATABASE_URL_FILE")
  sql() { psql --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 --dbname "$admin_url" "$@"; }
  exists=$(sql --set t="$TARGET_DATABASE" <<'SQL'
SELECT count(*) FROM pg_database WHERE datname = :'t';
SQL
)
  [ "$exists" = 0 ] || fail "database $TARGET_DATABASE exists; restore into a new name (nothing was changed)"
  sql --set t="$TARGET_DATABASE" --set owner="$APP_ROLE" <<'SQL'
CREATE DATABASE :"t" OWNER :"owner";
REVOKE ALL ON DATABASE :"t" FROM PUBLIC;
SQL
  # The admin URL with the target database in place of its own.
  target_url=$(printf '%s' "$admin_url" | sed -E "s#^([a-z]+://[^/]*/)[^?]*#\\1$TARGET_DATABASE#")
  if ! pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --role "$APP_ROLE" \
    --dbname "$target_url" "$archive"; then
    sql --set t="$TARGET_DATABASE" <<'SQL' || true
DROP DATABASE IF EXISTS :"t";
SQL
    fail "pg_restore failed; dropped $TARGET_DATABASE, which this run had created"
  fi
  echo "restore: $(cat "$WORK_DIR/key" 2>/dev/null || echo export) restored into $TARGET_DATABASE"
  ;;
*)
  fail "usage: restore.sh fetch|restore"
  ;;
esac
