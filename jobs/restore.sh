#!/bin/sh
# Restore of a memory-store export into a new database (R-DATA-5, R-DATA-6, R-DATA-8):
#   restore.sh fetch    (AWS CLI image)  downloads the export (EXPORT_KEY, or the newest
#                                        one: the newest dated key with its checksum), its
#                                        checksum and manifest, and refuses an archive whose
#                                        SHA-256 matches neither its checksum file nor the
#                                        checksum S3 stored with the object at upload
#   restore.sh restore  (postgres image) checks the checksum and the archive again, refuses
#                                        a target database that exists, creates it owned by
#                                        APP_ROLE, creates the archive's extensions as the
#                                        admin, restores the rest as APP_ROLE (RESTORE_JOBS
#                                        in parallel: the database is new, so no transaction
#                                        needs to span it) and applies grants.sql, so the
#                                        database is whole: the application and the nightly
#                                        export work on it as on the one it replaces
#   restore.sh drill    (postgres image) the restore into a scratch database, then compares
#                                        it with the export's manifest table by table and
#                                        drops it, whatever the outcome
#   restore.sh prune    (AWS CLI image)  after a good drill: deletes exports older than
#                                        KEEP_DAYS beyond the newest KEEP_NEWEST (on the
#                                        locked, versioned bucket a delete marker only)
# On any failure it drops only the database it created; a truncated or tampered export is
# refused before the target database is touched. No password appears on a command line.
#
# Environment: WORK_DIR; fetch: BUCKET, PREFIX, EXPORT_KEY (default: the newest),
#   REQUIRE_S3_CHECKSUM (default true), optionally S3_ENDPOINT_URL; restore and drill:
#   ADMIN_DATABASE_URL_FILE, APP_ROLE, BACKUP_ROLE, TARGET_DATABASE (default:
#   DEFAULT_TARGET_DATABASE), RESTORE_JOBS (default 2); prune: BUCKET, PREFIX, KEEP_NEWEST,
#   KEEP_DAYS.
set -eu
TARGET_DATABASE="${TARGET_DATABASE:-${DEFAULT_TARGET_DATABASE:-}}"

fail() { echo "restore: $*" >&2; exit 1; }
[ -n "${WORK_DIR:-}" ] && [ -d "$WORK_DIR" ] || fail "WORK_DIR is not a directory"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
archive="$WORK_DIR/memory.dump"

# hex_to_base64 HEX: the bytes HEX spells, base64-encoded (S3 reports checksums so).
hex_to_base64() {
  printf '%s' "$1" | awk '
    BEGIN { b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"; for (i = 0; i < 16; i++) v[substr("0123456789abcdef", i + 1, 1)] = i }
    { n = length($0) / 2; for (i = 0; i < n; i++) byte[i] = v[substr($0, 2 * i + 1, 1)] * 16 + v[substr($0, 2 * i + 2, 1)]
      out = ""
      for (i = 0; i < n; i += 3) {
        x = byte[i] * 65536 + (i + 1 < n ? byte[i + 1] * 256 : 0) + (i + 2 < n ? byte[i + 2] : 0)
        out = out substr(b, int(x / 262144) % 64 + 1, 1) substr(b, int(x / 4096) % 64 + 1, 1)
        out = out (i + 1 < n ? substr(b, int(x / 64) % 64 + 1, 1) : "=") (i + 2 < n ? substr(b, x % 64 + 1, 1) : "=")
      }
      printf "%s", out }'
}

restore_into() {
  for v in ADMIN_DATABASE_URL_FILE TARGET_DATABASE APP_ROLE BACKUP_ROLE; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || fail "$v is not set"
  done
  printf '%s' "$TARGET_DATABASE" | grep -Eq '^[a-z_][a-z0-9_]{0,62}$' || fail "TARGET_DATABASE $TARGET_DATABASE is not a plain lower-case name"
  [ -s "$archive" ] && [ -s "$archive.sha256" ] || fail "no fetched export in $WORK_DIR"
  (cd "$WORK_DIR" && sha256sum -c memory.dump.sha256 >/dev/null 2>&1) || fail "checksum mismatch in $WORK_DIR; refusing"
  pg_restore --list "$archive" >"$WORK_DIR/list" 2>/dev/null || fail "the export is not a readable pg_dump archive; refusing"
  admin_url=$(pg_url "$ADMIN_DATABASE_URL_FILE")
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
  created=1
  target_url=$(with_database "$admin_url" "$TARGET_DATABASE")
  # Extensions first, by the admin: the application role may not create an untrusted one
  # (pg_stat_statements, say), and a restore as that role would stop at the first.
  grep -E '^[0-9]+; [0-9]+ [0-9]+ EXTENSION ' "$WORK_DIR/list" >"$WORK_DIR/extensions.list" || true
  grep -Ev '^[0-9]+; [0-9]+ [0-9]+ (EXTENSION|COMMENT - EXTENSION) ' "$WORK_DIR/list" >"$WORK_DIR/data.list"
  if [ -s "$WORK_DIR/extensions.list" ] &&
    ! pg_restore --exit-on-error --use-list "$WORK_DIR/extensions.list" --dbname "$target_url" "$archive"; then
    undo "the admin cannot create the extensions the export holds ($(awk '{ print $NF }' "$WORK_DIR/extensions.list" | tr '\n' ' ')): install them on this server"
  fi
  pg_restore --exit-on-error --jobs "${RESTORE_JOBS:-2}" --no-owner --no-privileges --role "$APP_ROLE" \
    --use-list "$WORK_DIR/data.list" --dbname "$target_url" "$archive" || undo "pg_restore failed"
  sql --set db="$TARGET_DATABASE" --set app_role="$APP_ROLE" --set backup_role="$BACKUP_ROLE" --file "$(dirname "$0")/grants.sql" \
    || undo "the grants could not be applied"
}

# undo MESSAGE: drops the database this run created, then fails with MESSAGE.
undo() {
  if [ "${created:-0}" = 1 ]; then
    sql --set t="$TARGET_DATABASE" <<'SQL' || true
DROP DATABASE IF EXISTS :"t";
SQL
    fail "$1; dropped $TARGET_DATABASE, which this run had created"
  fi
  fail "$1"
}

s3api() {
  # shellcheck disable=SC2086 # the endpoint option is one word or none
  aws ${S3_ENDPOINT_URL:+--endpoint-url "$S3_ENDPOINT_URL"} s3api "$@"
}

# exports: the keys of complete exports (a dump with its checksum), oldest first.
exports() {
  s3api list-objects-v2 --bucket "$BUCKET" --prefix "$PREFIX/" --query 'Contents[].Key' --output text >"$WORK_DIR/keys" \
    || fail "cannot list s3://$BUCKET/$PREFIX/"
  tr '\t' '\n' <"$WORK_DIR/keys" | sed -n 's/\.sha256$//p' | grep '\.dump$' | sort || true
}

case "${1:-}" in
fetch)
  for v in BUCKET PREFIX; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || fail "$v is not set"
  done
  get() {
    s3api get-object --bucket "$BUCKET" --key "$1" "$2" >/dev/null || fail "cannot download s3://$BUCKET/$1"
  }
  rm -f "$archive" "$archive.sha256" "$archive.manifest" "$WORK_DIR/key"
  key="${EXPORT_KEY:-}"
  if [ -z "$key" ]; then
    # The newest export: dated keys sort by time; one counts once its checksum is there.
    key=$(exports | tail -n 1)
    [ -n "$key" ] || fail "no export under s3://$BUCKET/$PREFIX/"
  fi
  case "$key" in "$PREFIX"/*.dump) ;; *) fail "EXPORT_KEY $key is not an export under $PREFIX/" ;; esac
  get "$key" "$archive"
  get "$key.sha256" "$WORK_DIR/expected.sha256"
  s3api head-object --bucket "$BUCKET" --key "$key.manifest" >/dev/null 2>&1 && get "$key.manifest" "$archive.manifest"
  expected=$(awk 'NR == 1 { print $1 }' "$WORK_DIR/expected.sha256")
  actual=$(sha256sum "$archive" | cut -d' ' -f1)
  if [ "$expected" != "$actual" ]; then
    rm -f "$archive"
    fail "checksum mismatch for $key: expected $expected, got $actual; refusing a truncated or tampered export"
  fi
  # The checksum S3 verified and stored at upload: the export's credentials cannot change
  # it, since no key is ever written twice (conditional writes, Object Lock).
  stored=$(s3api head-object --bucket "$BUCKET" --key "$key" --checksum-mode ENABLED --query ChecksumSHA256 --output text) \
    || fail "cannot read the stored checksum of $key"
  if [ "$stored" = None ] || [ -z "$stored" ]; then
    [ "${REQUIRE_S3_CHECKSUM:-true}" = false ] || { rm -f "$archive"; fail "S3 holds no SHA-256 for $key (uploaded without one); refusing"; }
    echo "restore: S3 holds no SHA-256 for $key; REQUIRE_S3_CHECKSUM=false, relying on its checksum file"
  elif [ "$stored" != "$(hex_to_base64 "$actual")" ]; then
    rm -f "$archive"
    fail "the SHA-256 S3 stored for $key at upload ($stored) is not the archive's ($(hex_to_base64 "$actual")); refusing a replaced export"
  fi
  printf '%s  memory.dump\n' "$expected" >"$archive.sha256"
  echo "$key" >"$WORK_DIR/key"
  echo "restore: fetched $key ($(wc -c <"$archive") bytes, sha256 $expected)"
  ;;
restore)
  restore_into
  echo "restore: $(cat "$WORK_DIR/key" 2>/dev/null || echo export) restored into $TARGET_DATABASE"
  ;;
drill)
  [ -s "$archive.manifest" ] || fail "the export has no manifest to verify against"
  restore_into
  # Compare, table by table, then drop the scratch database whatever the outcome.
  mismatches=0
  while read -r schema table rows sha; do
    got=$(pg_dump --data-only --schema "$schema" --table "$schema.$table" --dbname "$target_url" | copy_digest) || got="unreadable"
    if [ "$got" != "$rows $sha" ]; then
      echo "restore: drill: $schema.$table holds $got, the manifest says $rows $sha" >&2
      mismatches=$((mismatches + 1))
    fi
  done <"$archive.manifest"
  tables=$(wc -l <"$archive.manifest" | tr -d ' ')
  [ "$mismatches" = 0 ] || undo "drill: $mismatches of $tables tables differ from the manifest of $(cat "$WORK_DIR/key")"
  sql --set t="$TARGET_DATABASE" <<'SQL'
DROP DATABASE :"t";
SQL
  echo "restore: drill: $(cat "$WORK_DIR/key") restored, $tables tables match the manifest; $TARGET_DATABASE dropped"
  ;;
prune)
  for v in BUCKET PREFIX KEEP_NEWEST KEEP_DAYS; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || fail "$v is not set"
  done
  cutoff=$(($(date -u +%s) - KEEP_DAYS * 86400))
  exports >"$WORK_DIR/exports"
  total=$(wc -l <"$WORK_DIR/exports" | tr -d ' ')
  # All but the newest KEEP_NEWEST, oldest first; each only once older than KEEP_DAYS.
  head -n "$((total > KEEP_NEWEST ? total - KEEP_NEWEST : 0))" "$WORK_DIR/exports" | while read -r key; do
    day=$(printf '%s' "$key" | sed -nE 's#^.*/([0-9]{4}-[0-9]{2}-[0-9]{2})/[^/]*$#\1#p')
    [ -n "$day" ] && [ "$(date -u -d "$day" +%s)" -lt "$cutoff" ] || continue
    for suffix in "" .sha256 .manifest; do
      s3api delete-object --bucket "$BUCKET" --key "$key$suffix" >/dev/null || fail "cannot prune $key$suffix"
    done
    echo "restore: pruned $key"
  done
  echo "restore: prune kept the newest $KEEP_NEWEST of $total exports and every one younger than $KEEP_DAYS days"
  ;;
*)
  fail "usage: restore.sh fetch|restore|drill|prune"
  ;;
esac
