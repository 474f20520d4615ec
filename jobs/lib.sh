# shellcheck shell=sh
# Shared by the database jobs (sourced, not run): connecting without a password on any
# command line (R-DATA-6). A connection URL from a mounted Secret is split: its password
# goes into a pgpass file (PGPASSFILE, mode 0600, in the job's scratch volume), and the
# tools get the URL without it, so the node's process table shows no secret. libpq reads
# the file ("The Password File", PostgreSQL documentation). Source it after WORK_DIR is
# checked: PGPASSFILE is set here, in the sourcing shell, since pg_url runs in a $(...)
# subshell whose exports would be lost.
PGPASSFILE="${PGPASSFILE:-$WORK_DIR/.pgpass}"
export PGPASSFILE

# pct_decode TEXT: TEXT with its %XX escapes decoded (the URLs percent-encode user and password).
pct_decode() {
  printf '%s' "$1" | awk '
    BEGIN { for (i = 0; i < 256; i++) code[sprintf("%02X", i)] = sprintf("%c", i) }
    { s = $0; out = ""
      while (match(s, /%[0-9A-Fa-f][0-9A-Fa-f]/)) { out = out substr(s, 1, RSTART - 1) code[toupper(substr(s, RSTART + 1, 2))]; s = substr(s, RSTART + 3) }
      printf "%s", out s }'
}

# pgpass_field TEXT: TEXT escaped for a pgpass field (backslash and colon).
pgpass_field() {
  printf '%s' "$1" | sed 's/\\/\\\\/g; s/:/\\:/g'
}

# pg_url FILE: the URL in FILE without its password, which goes into the pgpass file.
pg_url() {
  url=$(cat "$1")
  userinfo=$(printf '%s' "$url" | sed -nE 's#^[a-z]+://([^@/]*)@.*#\1#p')
  case "$userinfo" in
  *:*)
    user=${userinfo%%:*}
    (umask 077 && printf '*:*:*:%s:%s\n' "$(pgpass_field "$(pct_decode "$user")")" "$(pgpass_field "$(pct_decode "${userinfo#*:}")")" >>"$PGPASSFILE")
    printf '%s' "$url" | sed -E "s#^([a-z]+://)[^@/]*@#\\1$user@#"
    ;;
  *) printf '%s' "$url" ;;
  esac
}

# with_database URL NAME: URL with its database replaced by NAME.
with_database() {
  printf '%s' "$1" | sed -E "s#^([a-z]+://[^/]*/)[^?]*#\\1$2#"
}

# copy_digest: reads pg_dump or pg_restore SQL on stdin and prints "<rows> <sha256>" of the
# data lines of its COPY block: the table's content as PostgreSQL writes it.
copy_digest() {
  sha=$(awk '/^COPY .* FROM stdin;$/ { on = 1; next } on && $0 == "\\." { on = 0; next } on { print; n++ } END { print n + 0 > "/dev/stderr" }' 2>"$WORK_DIR/.rows" | sha256sum | cut -d' ' -f1)
  printf '%s %s\n' "$(cat "$WORK_DIR/.rows")" "$sha"
  rm -f "$WORK_DIR/.rows"
}
