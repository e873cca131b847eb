#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests and the load bench: a new cluster in a folder, listening on
# 127.0.0.1 (a free port, password login) and on a unix socket in that folder; nothing else is touched.
#   .ci/postgres.sh start DIR   initdb (first time) and start; prints the URL, also kept in DIR/url
#   .ci/postgres.sh stop DIR    stop the server (the folder stays; remove it yourself)
# Needs Debian's postgresql package (apt-get install -y postgresql). As root the server runs as the
# `postgres` user, which initdb requires.
set -euo pipefail
cmd=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}

if command -v pg_ctl >/dev/null 2>&1; then
  bin=$(dirname "$(command -v pg_ctl)")
else
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || { echo "postgres.sh: PostgreSQL 未安装（apt-get install -y postgresql）" >&2; exit 1; }
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    chmod 700 "$dir"
    if [ ! -s "$dir/data/PG_VERSION" ]; then
      as_owner sh -c "umask 077; python3 -c 'import secrets; print(secrets.token_hex(16))' > '$dir/password'"
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale --auth-local=trust \
        --auth-host=scram-sha-256 --pwfile="$dir/password" >"$dir/initdb.log"
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300" \
      start >/dev/null
    echo "postgresql://postgres:$(cat "$dir/password")@127.0.0.1:$port/postgres" >"$dir/url"
    cat "$dir/url"
    ;;
  stop)
    if [ -s "$dir/data/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; fi
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
