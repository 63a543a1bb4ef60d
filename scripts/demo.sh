#!/usr/bin/env bash
# The demo command: installs what is missing, builds, and starts rectify-server
# in the background on var/demo.db with the demo city loaded, then shows the
# overdue tasks through rectifyctl and prints how to go on.
#   scripts/demo.sh          start (or restart) the demo server
#   scripts/demo.sh stop     stop it
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ADDR=${RECTIFY_DEMO_ADDR:-127.0.0.1:7443}
mkdir -p var
PIDFILE=var/demo.pid

stop() {
  if [[ -f $PIDFILE ]] && kill -0 "$(cat $PIDFILE)" 2>/dev/null; then
    kill -TERM "$(cat $PIDFILE)"
    for _ in $(seq 50); do kill -0 "$(cat $PIDFILE)" 2>/dev/null || break; sleep 0.1; done
    echo "demo server stopped"
  fi
  rm -f $PIDFILE
}

if [[ ${1:-} == stop ]]; then stop; exit 0; fi

scripts/build.sh
stop
nohup build/bin/rectify-server --db var/demo.db --listen "$ADDR" --demo \
  --data_dir "$ROOT/data" >var/demo.log 2>&1 &
echo $! >$PIDFILE

export RECTIFY_ADDR=$ADDR RECTIFY_TOKEN=demo-supervisor
for _ in $(seq 100); do
  build/bin/rectifyctl whoami >/dev/null 2>&1 && break
  kill -0 "$(cat $PIDFILE)" 2>/dev/null || { cat var/demo.log; exit 1; }
  sleep 0.1
done

cat var/demo.log | sed -n '/Demo city loaded/,$p' | grep -v '^\s*$' || true
echo
echo "rectify-server is running on $ADDR (pid $(cat $PIDFILE), log var/demo.log, database var/demo.db)."
echo "The overdue tasks, as the supervisor sees them:"
echo
build/bin/rectifyctl tasks list --overdue --order-by deadline
cat <<TXT

Go on with:
  export PATH=$ROOT/build/bin:\$PATH RECTIFY_ADDR=$ADDR RECTIFY_TOKEN=demo-supervisor
  rectifyctl tasks list
  rectifyctl tasks get T-1 --history
  RECTIFY_TOKEN=demo-street rectifyctl tasks list --state open
Stop it with: scripts/demo.sh stop
TXT
