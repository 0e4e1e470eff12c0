#!/usr/bin/env bash
# Throwaway PostgreSQL 15 + MariaDB servers for the test suite, bound to
# 127.0.0.1 only. No systemd, no docker: Debian 12, run as root (a normal user
# can run it too once the packages are installed, or to reuse running servers).
# Next to them: PgBouncer (transaction pooling) in front of that PostgreSQL, and a
# pg_auto_failover cluster (monitor + primary + synchronous standby) for failover tests.
#
#   out=$(bash scripts/test-dbs.sh) && eval "$out"  # start, or reuse running servers
#   bash scripts/test-dbs.sh stop                   # stop them and delete their data
#
# stdout carries nothing but `export ...=...` lines: DATABASE_URL_POSTGRES,
# DATABASE_URL_MYSQL, DATABASE_URL_SQLITE, DATABASE_URL_PGBOUNCER,
# DATABASE_URL_PG_FAILOVER (libpq multi-host URL) and PG_FAILOVER_NODES
# (host:port,host:port); progress and errors go to stderr, and any failure exits non-zero.
#
# For tests (as root, like start; each returns once the result holds, else exits non-zero):
#   restart postgres|mariadb  fast shutdown (connections are killed), start again on the
#                             same port and data; prints how long it was down
#   failover                  `pg_autoctl perform failover`; returns once the standby is
#                             primary and the old primary has rejoined as secondary
#   kill-primary              kill -9 of the primary node (postmaster and keeper), wait for
#                             the promotion, restart its keeper, wait until it rejoined
#   failover-status           one line per node on stdout: `127.0.0.1:PORT STATE`
#
# Environment:
#   TEST_DBS_DIR  where data, logs and pid files live  (/tmp/authjs-test-dbs)
#   PG_PORT       force the postgres port  (default: 5432, or the next free one)
#   MYSQL_PORT    force the mariadb port   (default: 3306, or the next free one)
#   PGBOUNCER_PORT      force the pgbouncer port (default: 6432, or the next free one)
#   PG_FAILOVER_PORT    force the cluster monitor's port (default: 5500, or the next free
#                       one); the two data nodes take the next free ports above it
#   PG_BIN        postgres binaries        (default: newest /usr/lib/postgresql/*/bin)
#   WAIT_SECS     start/stop timeout per server, seconds (60)
#   FAILOVER_WAIT_SECS  timeout of failover and kill-primary, seconds (120)
set -euo pipefail

DIR=$(realpath -m "${TEST_DBS_DIR:-/tmp/authjs-test-dbs}")
APP_USER=authjs
APP_PASS=authjs_pw
APP_DB=authjs_test
MAX_CONN=300 # the concurrency tests open many connections at once
WAIT_SECS=${WAIT_SECS:-60}
FAILOVER_WAIT_SECS=${FAILOVER_WAIT_SECS:-120}
MARKER=.authjs-test-dbs # only a directory holding this file is ever emptied by `stop`

say() { printf 'test-dbs: %s\n' "$*" >&2; }
fail() { say "ERROR: $*"; exit 1; }
show_log() { if [[ -s $1 ]]; then say "last lines of $1:"; tail -n 25 "$1" >&2; fi; }

# Milliseconds since the epoch (EPOCHREALTIME: bash 5; its decimal point follows the locale).
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); }
# since START_MS: time elapsed since then, e.g. "12.3s"
since() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
# url_port URL: the port of a URL of ours (…@127.0.0.1:PORT/…)
url_port() { local u=${1##*@127.0.0.1:}; echo "${u%%/*}"; }

# Is PID a live process? (kill -0 alone is fooled by zombies, and our PID 1 may
# not reap the servers once they have been re-parented to it.)
pid_alive() {
  local state
  [[ $1 =~ ^[0-9]+$ ]] && state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) &&
    [[ ${state%% *} != [ZX] ]]
}
# pgrp_of PID: its process group (field 3 after the command name in /proc/PID/stat)
pgrp_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f3; }
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
APT_UPDATED=0
cleanup() { if ((OWN_POLICY)); then rm -f "$POLICY"; fi; }
trap cleanup EXIT

# apt_install PKG...: install PKGs (root only), refreshing the package lists once per run.
apt_install() {
  local t=$SECONDS log
  (($#)) || return 0
  ((EUID == 0)) || fail "missing packages: $*; run this script once as root (or apt-get install them)"
  command -v apt-get >/dev/null || fail "apt-get not found; install $* by hand"
  say "installing $* with apt-get (first run only)..."
  # A policy-rc.d that exits 101 forbids maintainer scripts from starting the
  # distro's own servers: they would grab 5432/3306/6432 with nothing supervising them.
  if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    OWN_POLICY=1
  fi
  log=$(mktemp)
  if ! { { ((APT_UPDATED)) || apt-get update; } &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; } \
    </dev/null >"$log" 2>&1; then
    show_log "$log"
    fail "apt-get install $* failed (full log: $log)"
  fi
  APT_UPDATED=1
  rm -f "$log"
  cleanup
  OWN_POLICY=0
  say "installed $* in $((SECONDS - t))s"
}

install_missing() {
  local need=() bin major
  pg_bin >/dev/null || need+=(postgresql) # Debian 12: PostgreSQL 15
  [[ -x /usr/sbin/mariadbd ]] || need+=(mariadb-server)
  command -v mariadb >/dev/null || need+=(mariadb-client)
  [[ -x /usr/sbin/pgbouncer ]] || need+=(pgbouncer)
  command -v pg_autoctl >/dev/null || need+=(pg-auto-failover-cli)
  apt_install "${need[@]}"
  # The monitor's extension is packaged per PostgreSQL major version, which is
  # only known once postgres is installed.
  bin=$(pg_bin) || fail "PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin; set PG_BIN)"
  if [[ ! -e $("$bin/pg_config" --pkglibdir)/pgautofailover.so ]]; then
    major=$("$bin/postgres" --version | awk '{print $3}')
    apt_install "postgresql-${major%%.*}-auto-failover"
  fi
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
# pg_daemon LOG CMD...: run CMD as the postgres user in the background, in a session
# of its own, output to LOG; DAEMON_PID is CMD's own pid. setpriv replaces itself
# with CMD (runuser would stay behind as its parent, in our session, and forward
# our signals to it). For pgbouncer and pg_autoctl, which refuse to run as root.
pg_daemon() {
  local log=$1
  shift
  if ((EUID == 0)); then
    set -- setpriv --reuid=postgres --regid=postgres --init-groups \
      env HOME="$(getent passwd postgres | cut -d: -f6)" USER=postgres LOGNAME=postgres "$@"
  fi
  # In a non-interactive shell a background job is no process-group leader, so
  # setsid execs in place: $! is CMD's pid, and CMD leads a new process group.
  setsid "$@" </dev/null >>"$log" 2>&1 9<&- &
  DAEMON_PID=$!
}
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
# pg_launch BIN PORT: start the server on $DIR/pg/data; return once it accepts connections.
pg_launch() {
  local bin=$1 port=$2 dir=$DIR/pg pid
  # setsid: a session of its own, so signals to the caller's process group
  # (Ctrl-C, CI job teardown of the step) do not take the server down with it.
  as_pg setsid -w "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$WAIT_SECS" start \
    </dev/null >/dev/null 2>&1 9<&- || { show_log "$dir/server.log"; fail "postgres did not start"; }
  pid=$(head -n1 "$dir/data/postmaster.pid")
  echo "$pid" >"$DIR/pg.pid" # world-readable copy; the data dir is 0700
  await postgres "$pid" "$dir/server.log" "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"
}

start_postgres() {
  local bin dir=$DIR/pg port t=$SECONDS
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
  pg_launch "$bin" "$port"
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres \
    >/dev/null <<SQL || fail "postgres: creating role $APP_USER / database $APP_DB failed"
CREATE ROLE $APP_USER LOGIN CREATEDB PASSWORD '$APP_PASS';
CREATE DATABASE $APP_DB OWNER $APP_USER;
SQL
  echo "postgres://$APP_USER:$APP_PASS@127.0.0.1:$port/$APP_DB" >"$DIR/pg.url"
  say "postgres $("$bin/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$port ($((SECONDS - t))s)"
}

# ----------------------------------------------------------------- MariaDB --
# my_launch PORT: start mariadbd on $DIR/my/data; return once it accepts connections.
my_launch() {
  local port=$1 dir=$DIR/my pid
  # --no-defaults everywhere: /etc/mysql/*.cnf belongs to the distro's server.
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
}

start_mariadb() {
  local dir=$DIR/my port t=$SECONDS
  if running "$DIR/my.pid" "$dir/data" && [[ -s $DIR/my.url ]]; then
    say "mariadb: reusing running server (pid $(head -n1 "$DIR/my.pid"))"
    return
  fi
  halt mariadb "$DIR/my.pid" "$dir/data" TERM
  rm -f "$DIR/my.url"
  server_dir mysql "$dir"
  port=$(choose_port "${MYSQL_PORT:-}" 3306)
  # "normal" root auth: passwordless root@localhost, reachable only via our socket.
  mariadb-install-db --no-defaults "${MY_AS[@]}" --datadir="$dir/data" --skip-test-db \
    --skip-name-resolve --auth-root-authentication-method=normal >"$dir/install.log" 2>&1 ||
    { show_log "$dir/install.log"; fail "mariadb: mariadb-install-db failed"; }
  my_launch "$port"
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

# restart_server postgres|mariadb: fast shutdown, start again on the same port and data.
restart_server() {
  local t0 port bin
  case $1 in
  postgres)
    if ! running "$DIR/pg.pid" "$DIR/pg/data" || [[ ! -s $DIR/pg.url ]]; then
      fail "postgres is not running; run '$0 start' first"
    fi
    bin=$(pg_bin) || fail "PostgreSQL binaries not found"
    port=$(url_port "$(<"$DIR/pg.url")")
    t0=$(now_ms)
    halt postgres "$DIR/pg.pid" "$DIR/pg/data" INT # "fast": open sessions are terminated
    say "postgres: stopped after $(since "$t0"), starting it again"
    pg_launch "$bin" "$port"
    say "postgres: accepting connections again on 127.0.0.1:$port; down for $(since "$t0")"
    # The pooler drops its dead server connections by itself; make sure it is
    # serving again before the test goes on (server_login_retry is 1s, see below).
    if running "$DIR/pgbouncer.pid" "$DIR/pgb/pgbouncer.ini" && [[ -s $DIR/pgbouncer.url ]]; then
      await pgbouncer "$(head -n1 "$DIR/pgbouncer.pid")" "$DIR/pgb/pgbouncer.log" \
        "$bin/psql" -X -At "$(<"$DIR/pgbouncer.url")" -c 'select 1'
      say "pgbouncer: serving again ($(since "$t0") after the stop)"
    fi
    ;;
  mariadb)
    if ! running "$DIR/my.pid" "$DIR/my/data" || [[ ! -s $DIR/my.url ]]; then
      fail "mariadb is not running; run '$0 start' first"
    fi
    port=$(url_port "$(<"$DIR/my.url")")
    t0=$(now_ms)
    halt mariadb "$DIR/my.pid" "$DIR/my/data" TERM # normal shutdown kills client connections
    say "mariadb: stopped after $(since "$t0"), starting it again"
    my_launch "$port"
    say "mariadb: accepting connections again on 127.0.0.1:$port; down for $(since "$t0")"
    ;;
  *) fail "usage: $0 restart postgres|mariadb" ;;
  esac
}

# --------------------------------------------------------------- PgBouncer --
# raise_nofile N: soft limit on open files up to N (or the hard limit), for pgbouncer,
# which needs one descriptor per client; past the limit it only logs and refuses clients.
raise_nofile() {
  local want=$1 hard soft
  hard=$(ulimit -Hn)
  soft=$(ulimit -Sn)
  [[ $hard == unlimited ]] || ((hard >= want)) || want=$hard
  [[ $soft == unlimited ]] || ((soft >= want)) || ulimit -Sn "$want" 2>/dev/null || true
}

start_pgbouncer() {
  local dir=$DIR/pgb port pgport url t=$SECONDS
  pgport=$(url_port "$(<"$DIR/pg.url")")
  # Reuse only if it still points at our postgres (recreated servers may move ports).
  if running "$DIR/pgbouncer.pid" "$dir/pgbouncer.ini" && [[ -s $DIR/pgbouncer.url ]] &&
    grep -qxF "* = host=127.0.0.1 port=$pgport" "$dir/pgbouncer.ini"; then
    say "pgbouncer: reusing running pooler (pid $(head -n1 "$DIR/pgbouncer.pid"))"
    return
  fi
  halt pgbouncer "$DIR/pgbouncer.pid" "$dir/pgbouncer.ini" TERM # TERM: immediate shutdown
  rm -f "$DIR/pgbouncer.url"
  server_dir postgres "$dir"
  port=$(choose_port "${PGBOUNCER_PORT:-}" 6432)
  # A plain-text password (the same one this script hands out anyway) lets pgbouncer
  # speak SCRAM both to clients (sqlx, node-postgres) and to postgres; a copied SCRAM
  # secret would only work for the server login if the client also used SCRAM.
  printf '"%s" "%s"\n' "$APP_USER" "$APP_PASS" >"$dir/userlist.txt"
  chmod 600 "$dir/userlist.txt"
  owned_by postgres: "$dir/userlist.txt"
  # "*": any database name goes to the same-named database on our postgres, so tests
  #   may create databases of their own.
  # default_pool_size 4: fewer server connections than a test's client pool, so
  #   transaction pooling really shares them.
  # extra_float_digits: sqlx sends it at startup; pgbouncer rejects unknown parameters.
  # server_login_retry 1: after a failed server login (postgres restarting) pgbouncer
  #   waits this long before the next one; the default 15s would outlast `restart postgres`.
  cat >"$dir/pgbouncer.ini" <<EOF
;; written by scripts/test-dbs.sh
[databases]
* = host=127.0.0.1 port=$pgport

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 500
ignore_startup_parameters = extra_float_digits
server_login_retry = 1
EOF
  raise_nofile 4096
  pg_daemon "$dir/pgbouncer.log" /usr/sbin/pgbouncer "$dir/pgbouncer.ini"
  echo "$DAEMON_PID" >"$DIR/pgbouncer.pid"
  url="postgres://$APP_USER:$APP_PASS@127.0.0.1:$port/$APP_DB"
  # A query through it proves client auth, the server login and the route to postgres.
  await pgbouncer "$DAEMON_PID" "$dir/pgbouncer.log" "$(pg_bin)/psql" -X -At "$url" -c 'select 1'
  echo "$url" >"$DIR/pgbouncer.url"
  say "pgbouncer $(/usr/sbin/pgbouncer --version | awk 'NR == 1 {print $2}') ready on 127.0.0.1:$port" \
    "(transaction pooling, 4 server connections, to postgres on :$pgport) ($((SECONDS - t))s)"
}

# -------------------------------------------------------- pg_auto_failover --
# A monitor and two data nodes, each a PGDATA run by its own keeper (`pg_autoctl run`,
# which starts, supervises and reconfigures its Postgres), all on 127.0.0.1. In $PAF:
#   monitor/ node1/ node2/  PGDATAs       NAME.port, NAME.pid (keeper), NAME.log (keeper)
#   sock/  unix sockets of all three      xdg/  pg_autoctl's config, state and pid files
#   url, nodes: what `start` exports
PAF=$DIR/paf
PAF_NODES=(node1 node2)
# pg_autoctl keeps its files under XDG_* (else under ~postgres, where `stop` would
# leave them behind), and reaches its local Postgres through PGHOST.
PAF_ENV=(XDG_CONFIG_HOME="$PAF/xdg/config" XDG_DATA_HOME="$PAF/xdg/data"
  XDG_RUNTIME_DIR="$PAF/xdg/run" PGHOST="$PAF/sock")

# autoctl ARGS...: pg_autoctl as the postgres user, in the foreground.
autoctl() { as_pg env "${PAF_ENV[@]}" pg_autoctl "$@" 9<&-; }
# paf_psql PORT DB ARGS...: psql as postgres over the cluster's unix sockets (trust).
paf_psql() {
  local port=$1 db=$2
  shift 2
  "$(pg_bin)/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$PAF/sock" -p "$port" -U postgres -d "$db" "$@"
}
node_addr() { echo "127.0.0.1:$(<"$PAF/$1.port")"; }

# keeper_start NAME: run NAME's keeper detached. It leads a new process group that
# also holds its postmaster and backends: kill-primary kills that group.
keeper_start() {
  pg_daemon "$PAF/$1.log" env "${PAF_ENV[@]}" pg_autoctl run --pgdata "$PAF/$1"
  echo "$DAEMON_PID" >"$PAF/$1.pid"
}
paf_running() {
  local n
  for n in monitor "${PAF_NODES[@]}"; do
    running "$PAF/$n.pid" "$PAF/$n" || return 1
  done
}
# paf_stop: keepers first (each stops its own Postgres, data nodes before the
# monitor), then any Postgres a dead keeper left behind.
paf_stop() {
  local n
  for n in "${PAF_NODES[@]}" monitor; do
    halt "pg_auto_failover $n keeper" "$PAF/$n.pid" "$PAF/$n" INT # INT: fast shutdown
  done
  for n in "${PAF_NODES[@]}" monitor; do
    halt "pg_auto_failover $n postgres" "$PAF/$n/postmaster.pid" "$PAF/$n" INT
  done
}

# paf_initdb NAME: a fresh PGDATA with our settings. Letting pg_autoctl run initdb
# would start Postgres before we could move its unix socket out of
# /var/run/postgresql, which belongs to the distro's service (and may not exist).
paf_initdb() {
  local data=$PAF/$1 bin
  bin=$(pg_bin)
  as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C --no-sync \
    >"$PAF/$1.initdb.log" 2>&1 9<&- || { show_log "$PAF/$1.initdb.log"; fail "pg_auto_failover: initdb of $1 failed"; }
  # pg_autoctl writes its settings to postgresql-auto-failover.conf and includes that
  # on line 1, so what we append here wins. The standby starts as a pg_basebackup of
  # the primary and inherits these files.
  cat >>"$data/postgresql.conf" <<EOF

# ---- added by scripts/test-dbs.sh ----
unix_socket_directories = '$PAF/sock'
max_connections = $MAX_CONN
timezone = 'UTC'
# pg_autoctl sizes these for a dedicated server (shared_buffers = 1/4 of RAM, on
# every node) and keeps 8GB of WAL; the standbys' replication slots hold what they need.
shared_buffers = '128MB'
effective_cache_size = '1GB'
maintenance_work_mem = '64MB'
wal_keep_size = '256MB'
# pg_basebackup (making the standby, or rejoining when pg_rewind fails) waits for a
# spread checkpoint: minutes (0.9 x checkpoint_timeout) for a few MB of dirty pages.
checkpoint_completion_target = 0
# kill -9 keeps the OS page cache, so skipping fsync loses nothing in these tests.
# synchronous_commit and full_page_writes stay on: sync replication and pg_rewind need them.
fsync = off
EOF
  # The app role logs in with its password. pg_autoctl appends "trust" lines for its
  # own roles (health checks, replication, pg_rewind), each limited to 127.0.0.1/32.
  {
    echo "local all all trust"
    if [[ $1 != monitor ]]; then echo "host all $APP_USER 127.0.0.1/32 scram-sha-256"; fi
  } >"$data/pg_hba.conf"
}

paf_start_monitor() {
  local port=$1 bin log=$PAF/monitor.create.log
  bin=$(pg_bin)
  paf_initdb monitor
  # Failure detection in seconds rather than production's 20s (unhealthy) + 30s (demote
  # timeout), so kill-primary fails over in ~10s. A node is only declared unhealthy when
  # its keeper reports Postgres down, or stops reporting AND health checks fail: a
  # merely slow machine does neither.
  cat >>"$PAF/monitor/postgresql.conf" <<EOF
pgautofailover.node_considered_unhealthy_timeout = 5000
pgautofailover.health_check_period = 2000
pgautofailover.health_check_retry_delay = 500
pgautofailover.primary_demote_timeout = 5000
EOF
  # --auth trust covers only the keepers' role autoctl_node, from 127.0.0.0/8.
  # --no-ssl: the nodes then need no TLS setup and sqlx's default sslmode=prefer works.
  autoctl create monitor --pgdata "$PAF/monitor" --pgctl "$bin/pg_ctl" --pgport "$port" \
    --hostname 127.0.0.1 --auth trust --no-ssl >"$log" 2>&1 ||
    { show_log "$log"; fail "pg_auto_failover: creating the monitor failed"; }
  # `create monitor` has no --listen, and the default is '*'.
  autoctl config set --pgdata "$PAF/monitor" postgresql.listen_addresses 127.0.0.1 >>"$log" 2>&1 ||
    { show_log "$log"; fail "pg_auto_failover: configuring the monitor failed"; }
  echo "$port" >"$PAF/monitor.port"
  keeper_start monitor
  await "pg_auto_failover monitor" "$DAEMON_PID" "$PAF/monitor.log" \
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"
}

# paf_create_node NAME PORT: register NAME with the monitor and start its keeper. The
# first node becomes primary on its own PGDATA; pg_autoctl clones the next one from it.
paf_create_node() {
  local name=$1 port=$2 bin log=$PAF/$1.create.log
  bin=$(pg_bin)
  autoctl create postgres --pgdata "$PAF/$name" --pgctl "$bin/pg_ctl" --pgport "$port" \
    --pghost "$PAF/sock" --listen 127.0.0.1 --hostname 127.0.0.1 --name "$name" \
    --auth trust --no-ssl \
    --monitor "postgres://autoctl_node@127.0.0.1:$(<"$PAF/monitor.port")/pg_auto_failover?sslmode=disable" \
    >"$log" 2>&1 || { show_log "$log"; fail "pg_auto_failover: creating $name failed"; }
  echo "$port" >"$PAF/$name.port"
  keeper_start "$name"
  await "pg_auto_failover $name" "$DAEMON_PID" "$PAF/$name.log" \
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"
}

# paf_states: "NAME 127.0.0.1:PORT REPORTED_STATE ASSIGNED_STATE" per node, from the monitor.
paf_states() {
  local mport
  mport=$(<"$PAF/monitor.port") || return 1
  paf_psql "$mport" pg_auto_failover -F ' ' -c \
    "SELECT nodename, nodehost || ':' || nodeport, reportedstate, goalstate
       FROM pgautofailover.node ORDER BY nodeid"
}
# paf_healthy: prints "PRIMARY SECONDARY" if the monitor assigned, and both keepers
# reported, primary and secondary; fails otherwise.
paf_healthy() {
  local s name addr rep goal p='' q=''
  s=$(paf_states 2>/dev/null) || return 1
  while read -r name addr rep goal; do
    if [[ $rep == primary && $goal == primary ]]; then
      p=$name
    elif [[ $rep == secondary && $goal == secondary ]]; then
      q=$name
    else
      return 1
    fi
  done <<<"$s"
  [[ -n $p && -n $q ]] || return 1
  echo "$p $q"
}
# paf_wait_healthy SECS: paf_healthy, retried for up to SECS.
paf_wait_healthy() {
  local deadline=$((SECONDS + $1))
  until paf_healthy; do
    ((SECONDS < deadline)) || return 1
    sleep 0.25
  done
}
# paf_writable NAME: NAME's Postgres is out of recovery, i.e. takes writes.
paf_writable() {
  [[ $(paf_psql "$(<"$PAF/$1.port")" postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null) == f ]]
}
# paf_promoted NAME: the monitor has NAME as (wait_)primary, and NAME takes writes.
paf_promoted() {
  local s name addr rep goal
  s=$(paf_states 2>/dev/null) || return 1
  while read -r name addr rep goal; do
    if [[ $name == "$1" ]]; then
      case $rep in wait_primary | primary) paf_writable "$1"; return ;; esac
    fi
  done <<<"$s"
  return 1
}
# paf_url_reaches NAME: the exported multi-host URL, with the app role's password,
# connects read-write to NAME.
paf_url_reaches() {
  local r
  r=$(PGCONNECT_TIMEOUT=3 "$(pg_bin)/psql" -X -At -F ' ' "$(<"$PAF/url")" \
    -c 'SELECT inet_server_port(), pg_is_in_recovery()' 2>/dev/null) &&
    [[ $r == "$(<"$PAF/$1.port") f" ]]
}
# paf_await PRIMARY DEADLINE WHAT: until the cluster is healthy with PRIMARY as primary
# and the URL leads there, or fail at DEADLINE (in $SECONDS).
paf_await() {
  local want=$1 deadline=$2 pair
  until pair=$(paf_healthy) && [[ ${pair%% *} == "$want" ]] && paf_url_reaches "$want"; do
    if ((SECONDS >= deadline)); then
      say "cluster state:"
      paf_status >&2 || true
      fail "$3"
    fi
    sleep 0.25
  done
}
paf_require() {
  if ! paf_running || [[ ! -s $PAF/url ]]; then
    fail "the pg_auto_failover cluster is not running; run '$0 start' first"
  fi
}

start_cluster() {
  local t0 bin mport p1 p2 pair sync url
  t0=$(now_ms)
  if paf_running && [[ -s $PAF/url ]]; then
    if pair=$(paf_wait_healthy "$WAIT_SECS"); then
      say "pg_auto_failover: reusing running cluster (primary $(node_addr "${pair%% *}")," \
        "secondary $(node_addr "${pair##* }"))"
      return
    fi
    say "pg_auto_failover: the running cluster is not healthy after ${WAIT_SECS}s; rebuilding it"
  elif [[ -s $PAF/url ]]; then
    say "pg_auto_failover: not all keepers are running; rebuilding the cluster"
  fi
  paf_stop # half-finished earlier attempt, if any
  server_dir postgres "$PAF"
  as_pg mkdir -p "$PAF/sock" "$PAF/xdg/config" "$PAF/xdg/data" "$PAF/xdg/run"
  bin=$(pg_bin)
  mport=$(choose_port "${PG_FAILOVER_PORT:-}" 5500)
  p1=$(choose_port "" $((mport + 1)))
  p2=$(choose_port "" $((p1 + 1)))
  paf_start_monitor "$mport"
  paf_initdb node1
  paf_create_node node1 "$p1"
  # Before the standby exists, so that its initial copy already has them.
  paf_psql "$p1" postgres >/dev/null <<SQL ||
CREATE ROLE $APP_USER LOGIN CREATEDB PASSWORD '$APP_PASS';
CREATE DATABASE $APP_DB OWNER $APP_USER;
SQL
    fail "pg_auto_failover: creating role $APP_USER / database $APP_DB failed"
  paf_create_node node2 "$p2"
  paf_wait_healthy "$WAIT_SECS" >/dev/null || {
    show_log "$PAF/node2.log"
    fail "pg_auto_failover: no healthy primary + secondary after ${WAIT_SECS}s"
  }
  # pg_auto_failover makes the standby synchronous by itself once it is healthy.
  sync=$(paf_psql "$p1" postgres -c 'SHOW synchronous_standby_names')
  [[ -n $sync ]] || fail "pg_auto_failover: the primary has no synchronous standby"
  url="postgres://$APP_USER:$APP_PASS@127.0.0.1:$p1,127.0.0.1:$p2/$APP_DB?target_session_attrs=read-write"
  echo "$url" >"$PAF/url"
  echo "127.0.0.1:$p1,127.0.0.1:$p2" >"$PAF/nodes"
  paf_url_reaches node1 || fail "pg_auto_failover: $url does not reach the primary"
  say "pg_auto_failover $(pg_autoctl --version 2>/dev/null | awk 'NR == 1 {print $NF}') ready:" \
    "primary 127.0.0.1:$p1, standby 127.0.0.1:$p2 (synchronous_standby_names = '$sync')," \
    "monitor 127.0.0.1:$mport ($(since "$t0"))"
}

# failover-status: one line per node on stdout, "127.0.0.1:PORT STATE", STATE as its
# keeper last reported it (with the monitor's target appended while they differ).
paf_status() {
  local s name addr rep goal n r
  [[ -s $PAF/url ]] || fail "no pg_auto_failover cluster under $PAF; run '$0 start' first"
  if s=$(paf_states 2>/dev/null) && [[ -n $s ]]; then
    while read -r name addr rep goal; do
      if [[ $rep == "$goal" ]]; then echo "$addr $rep"; else echo "$addr $rep (assigned: $goal)"; fi
    done <<<"$s"
    return
  fi
  say "the monitor is unreachable; asking each node instead"
  for n in "${PAF_NODES[@]}"; do
    r=$(paf_psql "$(<"$PAF/$n.port")" postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null) || r=down
    case $r in f) r=primary ;; t) r=secondary ;; esac
    echo "$(node_addr "$n") $r"
  done
}

paf_failover() {
  local pair old new t0 deadline
  paf_require
  pair=$(paf_wait_healthy "$FAILOVER_WAIT_SECS") ||
    { paf_status >&2 || true; fail "failover: the cluster is not healthy; not failing over"; }
  read -r old new <<<"$pair"
  say "failover: primary is $(node_addr "$old") ($old), standby $(node_addr "$new") ($new)"
  t0=$(now_ms)
  deadline=$((SECONDS + FAILOVER_WAIT_SECS))
  autoctl perform failover --pgdata "$PAF/monitor" --wait "$FAILOVER_WAIT_SECS" \
    >"$PAF/failover.log" 2>&1 || { show_log "$PAF/failover.log"; fail "pg_autoctl perform failover failed"; }
  paf_await "$new" "$deadline" "failover: not healthy with $new as primary after ${FAILOVER_WAIT_SECS}s"
  say "failover: done in $(since "$t0"); primary is now $(node_addr "$new") ($new)," \
    "$(node_addr "$old") ($old) rejoined as secondary"
}

# kill-primary: a crash of the primary's whole node. Killing only the postmaster is
# not enough: its keeper restarts it within ~2s and tells the monitor Postgres is
# fine, so no failover would happen. Hence the keeper's process group too (keeper,
# postmaster, backends), then, once the standby is promoted, a new keeper, as
# systemd would start after a reboot: it asks the monitor first, runs crash recovery
# with TCP off, pg_rewinds and rejoins as secondary.
paf_kill_primary() {
  local pair old new pm kpid t0 deadline
  paf_require
  pair=$(paf_wait_healthy "$FAILOVER_WAIT_SECS") ||
    { paf_status >&2 || true; fail "kill-primary: the cluster is not healthy; not killing anything"; }
  read -r old new <<<"$pair"
  pm=$(head -n1 "$PAF/$old/postmaster.pid" 2>/dev/null) || pm=''
  pid_alive "$pm" || fail "kill-primary: no live postmaster in $PAF/$old/postmaster.pid"
  kpid=$(head -n1 "$PAF/$old.pid")
  [[ $(pgrp_of "$pm") == "$kpid" ]] ||
    say "kill-primary: warning: postmaster $pm is not in its keeper's process group $kpid"
  say "kill-primary: primary is $(node_addr "$old") ($old), standby $(node_addr "$new") ($new);" \
    "kill -9 of postmaster $pm and of keeper process group $kpid"
  t0=$(now_ms)
  deadline=$((SECONDS + FAILOVER_WAIT_SECS))
  kill -KILL -- "-$kpid" 2>/dev/null || true
  kill -KILL "$pm" 2>/dev/null || true
  until paf_promoted "$new"; do
    if ((SECONDS >= deadline)); then
      keeper_start "$old" # leave the cluster able to recover
      paf_status >&2 || true
      fail "kill-primary: $new not promoted after ${FAILOVER_WAIT_SECS}s"
    fi
    sleep 0.25
  done
  say "kill-primary: $(node_addr "$new") ($new) promoted $(since "$t0") after the kill;" \
    "restarting the keeper of $old"
  while { pid_alive "$pm" || pid_alive "$kpid"; } && ((SECONDS < deadline)); do sleep 0.1; done
  keeper_start "$old"
  paf_await "$new" "$deadline" "kill-primary: $old not back as secondary after ${FAILOVER_WAIT_SECS}s"
  say "kill-primary: done in $(since "$t0"); primary is now $(node_addr "$new") ($new)," \
    "$(node_addr "$old") ($old) rejoined as secondary"
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

# One invocation at a time (e.g. two terminals or test runners starting together, or
# a test's `failover` while another starts). Every server is launched with fd 9
# closed, or it would hold this lock forever.
exec 9<"$DIR"
flock -w 900 9 || fail "timed out waiting for another test-dbs.sh run (lock on $DIR)"

case ${1:-start} in
start)
  install_missing
  start_postgres
  start_mariadb
  start_pgbouncer
  start_cluster
  mkdir -p "$DIR/sqlite"
  chmod 1777 "$DIR/sqlite" 2>/dev/null || true # any local user may run the tests
  echo "export DATABASE_URL_POSTGRES='$(<"$DIR/pg.url")'"
  echo "export DATABASE_URL_MYSQL='$(<"$DIR/my.url")'"
  echo "export DATABASE_URL_SQLITE='sqlite://$DIR/sqlite/test.db?mode=rwc'"
  echo "export DATABASE_URL_PGBOUNCER='$(<"$DIR/pgbouncer.url")'"
  echo "export DATABASE_URL_PG_FAILOVER='$(<"$PAF/url")'"
  echo "export PG_FAILOVER_NODES='$(<"$PAF/nodes")'"
  ;;
stop)
  halt pgbouncer "$DIR/pgbouncer.pid" "$DIR/pgb/pgbouncer.ini" TERM
  paf_stop
  halt postgres "$DIR/pg.pid" "$DIR/pg/data" INT # SIGINT = postgres "fast" shutdown
  halt mariadb "$DIR/my.pid" "$DIR/my/data" TERM
  rm -rf "${DIR:?}/pg" "${DIR:?}/my" "${DIR:?}/sqlite" "${DIR:?}/pgb" "${PAF:?}" \
    "$DIR/pg.url" "$DIR/my.url" "$DIR/pgbouncer.url"
  say "stopped; data under $DIR removed"
  ;;
restart)
  restart_server "${2:-}"
  ;;
failover)
  paf_failover
  ;;
kill-primary)
  paf_kill_primary
  ;;
failover-status)
  paf_status
  ;;
*)
  fail "usage: $0 [start|stop|restart postgres|restart mariadb|failover|kill-primary|failover-status]"
  ;;
esac
