# Sourced by the CLI end-to-end tests: starts the real rectify-server with the
# demo city on a free loopback port (or a given address), stops it, and reports
# in the plain "N passed, N failed" form.
#   NAME="demo cli"; source demo_server.sh <rectify-server> <rectifyctl> <data-dir>
#   start_demo [ADDRESS]; ... "$ctl" ...; stop_demo; pass
server=$1 ctl=$2 data=$3
dir=$(mktemp -d)
pid=""
cleanup_hooks=()
cleanup() {
  local hook
  for hook in "${cleanup_hooks[@]}"; do eval "$hook"; done
  [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; echo "$NAME: 0 passed, 1 failed"; exit 1; }
pass() { echo "$NAME: 1 passed, 0 failed"; }

# Starts the server on this run's database (the same file each time), with
# any further server flags, and exports RECTIFY_ADDR.
#   start_demo [ADDRESS [FLAG...]]
start_demo() {
  local address=${1:-127.0.0.1:0}
  (($#)) && shift
  rm -f "$dir/port"
  "$server" --db="$dir/demo.db" --listen="$address" --port_file="$dir/port" --demo \
    --data_dir="$data" "$@" >>"$dir/log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do [[ -s $dir/port ]] && break; sleep 0.05; done
  [[ -s $dir/port ]] || { cat "$dir/log"; fail "the server did not start"; }
  export RECTIFY_ADDR=127.0.0.1:$(cat "$dir/port")
}

stop_demo() { kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
