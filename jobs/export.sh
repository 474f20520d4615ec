#!/bin/sh
# Daily logical export of the memory store (R-DATA-2, R-DATA-3, R-DATA-7), in two phases
# so each runs in the image that has its tool:
#   export.sh dump     (postgres image)  pg_dump --format=custom into WORK_DIR, checks the
#                                        archive reads back, writes its SHA-256 and a
#                                        manifest: rows and content hash per table
#   export.sh upload   (AWS CLI image)   uploads the archive, then its checksum and
#                                        manifest, under a dated key no other run uses
# Every upload is a conditional write (If-None-Match: *), so no key is ever replaced, and
# carries an S3 additional checksum (SHA-256) that S3 verifies and keeps with the object;
# the bucket refuses uploads to exports/ without the condition and Object Lock keeps each
# version (R-DATA-7). The newest export is the newest dated key that has its checksum: no
# pointer to move, none to overwrite. A failed dump or upload exits non-zero with the
# previous good export still the newest one.
#
# Environment: WORK_DIR; dump: DATABASE_URL_FILE; upload: BUCKET, PREFIX (e.g. exports),
#   KMS_KEY_ARN, optionally S3_ENDPOINT_URL (an S3-compatible endpoint or VPC endpoint).
set -eu

fail() { echo "export: $*" >&2; exit 1; }
[ -n "${WORK_DIR:-}" ] && [ -d "$WORK_DIR" ] || fail "WORK_DIR is not a directory"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
archive="$WORK_DIR/memory.dump"

case "${1:-}" in
dump)
  [ -r "${DATABASE_URL_FILE:-}" ] || fail "cannot read DATABASE_URL_FILE"
  rm -f "$archive" "$archive.sha256" "$archive.manifest" "$WORK_DIR/stamp"
  url=$(pg_url "$DATABASE_URL_FILE")
  pg_dump --format=custom --compress=6 --no-owner --no-privileges --file "$archive" --dbname "$url" || fail "pg_dump failed"
  pg_restore --list "$archive" >"$WORK_DIR/list" || fail "the archive does not read back"
  # The manifest: "<schema> <table> <rows> <sha256>" per table, of the data in the archive;
  # the restore drill compares a restored database with it.
  awk '$4 == "TABLE" && $5 == "DATA" { print $6, $7 }' "$WORK_DIR/list" | while read -r schema table; do
    printf '%s %s %s\n' "$schema" "$table" "$(pg_restore --data-only --schema "$schema" --table "$table" --file - "$archive" | copy_digest)"
  done >"$archive.manifest"
  (cd "$WORK_DIR" && sha256sum memory.dump >memory.dump.sha256)
  date -u +%Y-%m-%dT%H%M%SZ >"$WORK_DIR/stamp"
  echo "export: dumped $(wc -c <"$archive") bytes, $(wc -l <"$archive.manifest") tables, sha256 $(cut -d' ' -f1 "$archive.sha256")"
  ;;
upload)
  for v in BUCKET PREFIX KMS_KEY_ARN; do
    eval "val=\${$v:-}"
    [ -n "$val" ] || fail "$v is not set"
  done
  [ -s "$archive" ] && [ -s "$archive.sha256" ] && [ -f "$archive.manifest" ] && [ -s "$WORK_DIR/stamp" ] || fail "no complete dump in $WORK_DIR"
  (cd "$WORK_DIR" && sha256sum -c memory.dump.sha256 >/dev/null) || fail "the archive changed after it was dumped"
  # One PutObject carries at most 5 GiB ("Uploading objects", S3 user guide); only a single
  # PUT gets a SHA-256 of the whole object from S3 (a multipart upload's is a checksum of
  # its parts), which the restore checks. Larger archives are refused here, loudly.
  size=$(wc -c <"$archive")
  [ "$size" -le 5368709120 ] || fail "the archive is $size bytes, more than the 5 GiB one PutObject takes; docs/data.md (The daily export) says what to do"
  stamp=$(cat "$WORK_DIR/stamp")
  key="$PREFIX/${stamp%%T*}/memory-$stamp.dump"
  put() {
    # shellcheck disable=SC2086 # the endpoint option is one word or none
    aws ${S3_ENDPOINT_URL:+--endpoint-url "$S3_ENDPOINT_URL"} s3api put-object --bucket "$BUCKET" --key "$2" --body "$1" \
      --if-none-match '*' --checksum-algorithm SHA256 --server-side-encryption aws:kms --ssekms-key-id "$KMS_KEY_ARN" >/dev/null \
      || fail "upload of $2 failed"
  }
  put "$archive" "$key"
  put "$archive.manifest" "$key.manifest"
  # Last: an export counts once its checksum is there.
  put "$archive.sha256" "$key.sha256"
  echo "export: s3://$BUCKET/$key"
  ;;
*)
  fail "usage: export.sh dump|upload"
  ;;
esac
