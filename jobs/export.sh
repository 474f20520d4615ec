#!/bin/sh
# Daily logical export of the memory store (R-DATA-2, R-DATA-3), in two phases so each
# runs in the image that has its tool:
#   export.sh dump     (postgres image)  pg_dump --format=custom into WORK_DIR, checks the
#                                        archive reads back, writes its SHA-256
#   export.sh upload   (AWS CLI image)   uploads the archive and its checksum under a dated
#                                        key, then moves the `latest` pointer to them
# Keys are unique per run and the pointer moves last: a failed dump or upload exits
# non-zero with the previous good export still the newest one, and nothing overwritten.
# Integrity is end to end: the SHA-256 is taken of the archive pg_restore read back, and
# the restore refuses any bytes that do not match it.
#
# Environment: WORK_DIR; dump: DATABASE_URL_FILE; upload: BUCKET, PREFIX (e.g. exports),
#   KMS_KEY_ARN, optionally S3_ENDPOINT_URL (an S3-compatible endpoint or VPC endpoint).
set -eu

fail() { echo "export: $*" >&2; exit 1; }
[ -n "${WORK_DIR:-}" ] && [ -d "$WORK_DIR" ] || fail "WORK_DIR is not a directory"
archive="$WORK_DIR/memory.dump"

case "${1:-}" in
dump)
  [ -r "${DATABASE_URL_FILE:-}" ] || fail "cannot read DATABASE_URL_FILE"
  rm -f "$archive" "$archive.sha256" "$WORK_DIR/stamp"
  pg_dump --format=custom --compress=6 --no-owner --no-privileges --file "$archive" \
    --dbname "$(cat "$DATABASE_URL_FILE")" || fail "pg_dump failed"
  pg_restore --list "$archive" >/dev/null || fail "the archive does not read back"
  (cd "$WORK_DIR" && sha256sum memory.dump >memory.dump.sha256)
  date -u +%Y-%m-%dT%H%M%SZ >"$WORK_DIR/stamp"
  echo "export: dumped $(wc -c <"$archive") bytes, sha256 $(cut -d' ' -f1 "$archive.sha256")"
  ;;
upload)
  for v in BUCKET PREFIX KMS_KEY_ARN; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || fail "$v is not set"
  done
  [ -s "$archive" ] && [ -s "$archive.sha256" ] && [ -s "$WORK_DIR/stamp" ] || fail "no complete dump in $WORK_DIR"
  (cd "$WORK_DIR" && sha256sum -c memory.dump.sha256 >/dev/null) || fail "the archive changed after it was dumped"
  stamp=$(cat "$WORK_DIR/stamp")
  key="$PREFIX/${stamp%%T*}/memory-$stamp.dump"
  put() {
    aws ${S3_ENDPOINT_URL:+--endpoint-url "$S3_ENDPOINT_URL"} s3 cp --only-show-errors --no-progress \
      --sse aws:kms --sse-kms-key-id "$KMS_KEY_ARN" "$1" "s3://$BUCKET/$2" || fail "upload of $2 failed"
  }
  put "$archive" "$key"
  put "$archive.sha256" "$key.sha256"
  # The pointer: "<sha256>  <key>", the format sha256sum -c reads.
  printf '%s  %s\n' "$(cut -d' ' -f1 "$archive.sha256")" "$key" >"$WORK_DIR/latest"
  put "$WORK_DIR/latest" "$PREFIX/latest"
  echo "export: s3://$BUCKET/$key"
  ;;
*)
  fail "usage: export.sh dump|upload"
  ;;
esac
