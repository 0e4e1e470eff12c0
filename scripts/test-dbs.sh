#!/usr/bin/env bash
# Throwaway PostgreSQL 15 + MariaDB servers for the test suite, bound to
# 127.0.0.1 only. No systemd, no docker: Debian 12, run as root (a normal user
# can run it too once the packages are installed, or to reuse running servers).
#
#   out=$(bash scripts/test-dbs.sh) && eval "$out"  # start, or reuse running servers
#   bash scripts/test-dbs.sh stop                   # stop them and delete their data
#
# stdout carries nothing but the three `export DATABASE_URL_*=...` lines;
# progress and errors go to stderr, and any failure exits non-zero.
#
# Environment:
#   TEST_DBS_DIR  where data, logs and pid files live  (/tmp/authjs-test-dbs)
#   PG_PORT       force the postgres port  (default: 5432, or the next free one)
#   MYSQL_PORT    force the mariadb port   (default: 3306, or the next free one)
#   PG_BIN        postgres binaries        (default: newest /usr/lib/postgresql/*/bin)
#   WAIT_SECS     start/stop timeout per server, seconds (60)
set -euo pipefail

DIR=$(realpath -m "${TEST_DBS_DIR:-/tmp/authjs-test-dbs}")
APP_USER=authjs
APP_PASS=authjs_pw
APP_DB=authjs_test
MAX_CONN=300 # the concurrency tests open many connections at once
WAIT_SECS=${WAIT_SECS:-60}
MARKER=.authjs-test-dbs # only a directory holding this file is ever emptied by `stop`

say() { printf 'test-dbs: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }
show_log() { if [[ -s $1 ]]; then say "last lines of $1:"; tail -n 25 "$1" >&2; fi; }

# Is PID a live process? (kill -0 alone is fooled by zombies, and our PID 1 may
# not reap the servers once they have been re-parented to it.)
pid_alive() {
  local state
  [[ $1 =~ ^[0-9]+$ ]] && state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) &&
    [[ ${state%% *} != [ZX] ]]
}
# running PIDFILE DATADIR: the pid in PIDFILE is alive and is a server on
# DATADIR (a stale pid file may point at a recycled pid).
running() {
  local pid
  pid=$(head -n1 "$1" 2>/dev/null) && pid_alive "$pid" &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2"
}
# halt NAME PIDFILE DATADIR SIGNAL: stop a server this script started, if any.
halt() {
  local name=$1 pidfile=$2 data=$3 sig=$4 pid deadline
  if ! running "$pidfile" "$data"; then rm -f "$pidfile"; return 0; fi
  pid=$(head -n1 "$pidfile")
  say "stopping $name (pid $pid)"
  kill "-$sig" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + WAIT_SECS))
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
  if pid_alive "$pid"; then
    say "$name still up after ${WAIT_SECS}s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# choose_port REQUESTED DEFAULT: REQUESTED if given (and free), else the first
# free port from DEFAULT upwards.
choose_port() {
  local p
  if [[ -n $1 ]]; then
    port_in_use "$1" && fail "requested port $1 on 127.0.0.1 is already in use"
    echo "$1"
    return
  fi
  for ((p = $2; p < $2 + 100; p++)); do
    port_in_use "$p" || { echo "$p"; return; }
  done
  fail "no free port on 127.0.0.1 in $2..$(($2 + 99))"
}
# await NAME PID LOG CMD...: retry CMD until it succeeds; give up early if PID dies.
await() {
  local name=$1 pid=$2 log=$3 deadline=$((SECONDS + WAIT_SECS))
  shift 3
  until "$@" >/dev/null 2>&1; do
    if ! pid_alive "$pid"; then show_log "$log"; fail "$name exited during startup"; fi
    if ((SECONDS >= deadline)); then
      show_log "$log"
      fail "$name not accepting connections on 127.0.0.1 after ${WAIT_SECS}s"
    fi
    sleep 0.2
  done
}

pg_bin() {
  local d=${PG_BIN:-$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)}
  [[ -n $d && -x $d/initdb ]] && echo "$d"
}

# ---------------------------------------------------------------- packages --
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
cleanup() { if ((OWN_POLICY)); then rm -f "$POLICY"; fi; }
trap cleanup EXIT

install_missing() {
  local need=() t=$SECONDS log
  pg_bin >/dev/null || need+=(postgresql) # Debian 12: PostgreSQL 15
  [[ -x /usr/sbin/mariadbd ]] || need+=(mariadb-server)
  command -v mariadb >/dev/null || need+=(mariadb-client)
  ((${#need[@]})) || return 0
  ((EUID == 0)) || fail "missing packages: ${need[*]}; run this script once as root (or apt-get install them)"
  command -v apt-get >/dev/null || fail "apt-get not found; install ${need[*]} by hand"
  say "installing ${need[*]} with apt-get (first run only)..."
  # A policy-rc.d that exits 101 forbids maintainer scripts from starting the
  # distro's own servers: they would grab 5432/3306 with nothing supervising them.
  if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    OWN_POLICY=1
  fi
  log=$(mktemp)
  if ! { apt-get update &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"; } \
    </dev/null >"$log" 2>&1; then
    show_log "$log"
    fail "apt-get install ${need[*]} failed (full log: $log)"
  fi
  rm -f "$log"
  cleanup
  OWN_POLICY=0
  say "installed ${need[*]} in $((SECONDS - t))s"
}

# As root the servers must run as their service users; otherwise as ourselves.
if ((EUID == 0)); then
  as_pg() { runuser -u postgres -- "$@"; }
  owned_by() { chown "$1" "$2"; }
  MY_AS=(--user=mysql)
else
  as_pg() { "$@"; }
  owned_by() { :; }
  MY_AS=()
fi
# server_dir OWNER PATH: fresh empty directory the service user can write to.
server_dir() {
  rm -rf "$2"
  mkdir -p "$2"
  owned_by "$1:" "$2"
  if ((EUID == 0)) && ! runuser -u "$1" -- test -w "$2"; then
    fail "user $1 cannot write $2; TEST_DBS_DIR and its parents must be world-searchable"
  fi
}

# -------------------------------------------------------------- PostgreSQL --
start_postgres() {
  local bin dir=$DIR/pg port pid t=$SECONDS
  if running "$DIR/pg.pid" "$dir/data" && [[ -s $DIR/pg.url ]]; then
    say "postgres: reusing running server (pid $(head -n1 "$DIR/pg.pid"))"
    return
  fi
  bin=$(pg_bin) || fail "PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin; set PG_BIN)"
  halt postgres "$DIR/pg.pid" "$dir/data" INT # half-finished earlier attempt, if any
  rm -f "$DIR/pg.url"
  server_dir postgres "$dir"
  port=$(choose_port "${PG_PORT:-}" 5432)
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --no-sync \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 ||
    { show_log "$dir/initdb.log"; fail "postgres: initdb failed"; }
  # Durability is pointless for throwaway data; speed is not.
  cat >>"$dir/data/postgresql.conf" <<EOF

# ---- added by scripts/test-dbs.sh ----
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = $MAX_CONN
timezone = 'UTC'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # setsid: a session of its own, so signals to the caller's process group
  # (Ctrl-C, CI job teardown of the step) do not take the server down with it.
  as_pg setsid -w "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$WAIT_SECS" start \
    </dev/null >/dev/null 2>&1 9<&- || { show_log "$dir/server.log"; fail "postgres did not start"; }
  pid=$(head -n1 "$dir/data/postmaster.pid")
  echo "$pid" >"$DIR/pg.pid" # world-readable copy; the data dir is 0700
  await postgres "$pid" "$dir/server.log" "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
    >/dev/null <<SQL || fail "postgres: creating role $APP_USER / database $APP_DB failed"
CREATE ROLE $APP_USER LOGIN CREATEDB PASSWORD '$APP_PASS';
CREATE DATABASE $APP_DB OWNER $APP_USER;
SQL
  echo "postgres://$APP_USER:$APP_PASS@127.0.0.1:$port/$APP_DB" >"$DIR/pg.url"
  say "postgres $("$bin/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$port ($((SECONDS - t))s)"
}

# ----------------------------------------------------------------- MariaDB --
start_mariadb() {
  local dir=$DIR/my port pid t=$SECONDS
  if running "$DIR/my.pid" "$dir/data" && [[ -s $DIR/my.url ]]; then
    say "mariadb: reusing running server (pid $(head -n1 "$DIR/my.pid"))"
    return
  fi
  halt mariadb "$DIR/my.pid" "$dir/data" TERM
  rm -f "$DIR/my.url"
  server_dir mysql "$dir"
  port=$(choose_port "${MYSQL_PORT:-}" 3306)
  # --no-defaults everywhere: /etc/mysql/*.cnf belongs to the distro's server.
  # "normal" root auth: passwordless root@localhost, reachable only via our socket.
  mariadb-install-db --no-defaults "${MY_AS[@]}" --datadir="$dir/data" --skip-test-db \
    --skip-name-resolve --auth-root-authentication-method=normal >"$dir/install.log" 2>&1 ||
    { show_log "$dir/install.log"; fail "mariadb: mariadb-install-db failed"; }
  local opts=(
    --no-defaults "${MY_AS[@]}"
    --datadir="$dir/data" --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid"
    --bind-address=127.0.0.1 --port="$port" --skip-name-resolve
    --max-connections="$MAX_CONN"
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
    --default-time-zone=+00:00
    --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0
  )
  # In a non-interactive shell a background job is no process-group leader, so
  # setsid execs in place and $! is mariadbd's own pid.
  setsid /usr/sbin/mariadbd "${opts[@]}" </dev/null >>"$dir/server.log" 2>&1 9<&- &
  pid=$!
  echo "$pid" >"$DIR/my.pid"
  await mariadb "$pid" "$dir/server.log" \
    mariadb-admin --no-defaults --protocol=TCP -h127.0.0.1 -P"$port" --connect-timeout=2 ping
  # sqlx's MySQL driver speaks mysql_native_password, so pin the plugin explicitly.
  mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" >/dev/null <<SQL ||
CREATE DATABASE \`$APP_DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER '$APP_USER'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('$APP_PASS');
CREATE USER '$APP_USER'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('$APP_PASS');
GRANT ALL PRIVILEGES ON *.* TO '$APP_USER'@'%', '$APP_USER'@'localhost';
-- install-db also made passwordless root@127.0.0.1/::1/<hostname>, reachable over TCP
DELETE FROM mysql.global_priv WHERE User = 'root' AND Host <> 'localhost';
FLUSH PRIVILEGES;
SQL
    fail "mariadb: creating user $APP_USER / database $APP_DB failed"
  echo "mysql://$APP_USER:$APP_PASS@127.0.0.1:$port/$APP_DB" >"$DIR/my.url"
  say "mariadb $(/usr/sbin/mariadbd --version | awk '{print $3}') ready on 127.0.0.1:$port ($((SECONDS - t))s)"
}

# -------------------------------------------------------------------- main --
[[ $DIR =~ ^/[A-Za-z0-9/._-]+$ ]] ||
  fail "TEST_DBS_DIR=$DIR: use an absolute path made of letters, digits and / . _ -"
if [[ -e $DIR && ! -e $DIR/$MARKER && -n $(ls -A "$DIR" 2>/dev/null) ]]; then
  fail "$DIR exists, is not empty and was not created by this script; pick another TEST_DBS_DIR"
fi
mkdir -p "$DIR"
[[ -e $DIR/$MARKER ]] || touch "$DIR/$MARKER"
chmod 755 "$DIR" 2>/dev/null || true
cd / # service users cannot read root's working directory

# One invocation at a time (e.g. two terminals or test runners starting together).
# The servers are launched with fd 9 closed, or they would hold this lock forever.
exec 9<"$DIR"
flock -w 900 9 || fail "timed out waiting for another test-dbs.sh run (lock on $DIR)"

case ${1:-start} in
start)
  install_missing
  start_postgres
  start_mariadb
  mkdir -p "$DIR/sqlite"
  chmod 1777 "$DIR/sqlite" 2>/dev/null || true # any local user may run the tests
  echo "export DATABASE_URL_POSTGRES='$(<"$DIR/pg.url")'"
  echo "export DATABASE_URL_MYSQL='$(<"$DIR/my.url")'"
  echo "export DATABASE_URL_SQLITE='sqlite://$DIR/sqlite/test.db?mode=rwc'"
  ;;
stop)
  halt postgres "$DIR/pg.pid" "$DIR/pg/data" INT # SIGINT = postgres "fast" shutdown
  halt mariadb "$DIR/my.pid" "$DIR/my/data" TERM
  rm -rf "${DIR:?}/pg" "${DIR:?}/my" "${DIR:?}/sqlite" "$DIR/pg.url" "$DIR/my.url"
  say "stopped; data under $DIR removed"
  ;;
*)
  fail "usage: $0 [start|stop]"
  ;;
esac
