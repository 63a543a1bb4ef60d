#!/usr/bin/env bash
# Tokens, the audit trail and TLS through rectifyctl against the real binary:
# an admin issues a token with a lifetime, its owner lists and revokes it, the
# revoked token is refused saying so, a supervisor reads who did it in the
# audit trail; then the server serves mutual TLS and rectifyctl talks to it
# with a client certificate, and is refused without one.
#   security_cli_test.sh <rectify-server> <rectifyctl> <data-dir>
set -euo pipefail
NAME="security cli"
source "$(dirname "$0")/demo_server.sh" "$@"
start_demo
admin=$(cat "$dir/demo.db.admin-token")

# The street officer's person id, from whoami.
me=$(RECTIFY_TOKEN=demo-street "$ctl" whoami | sed -n 's/^person\.id: *//p; s/^id: *//p' | head -1)
[[ -n $me ]] || fail "no person id in whoami: $(RECTIFY_TOKEN=demo-street "$ctl" whoami)"

issued=$(RECTIFY_TOKEN=$admin "$ctl" tokens issue --person "$me" --label cli-laptop --ttl 1h 2>/dev/null)
secret=$(printf '%s\n' "$issued" | sed -n 's/^token: *//p')
[[ $secret == rct_* ]] || fail "no token in: $issued"
RECTIFY_TOKEN=$secret "$ctl" whoami >/dev/null || fail "the new token does not work"

listed=$(RECTIFY_TOKEN=$secret "$ctl" --output=csv tokens list)
[[ $listed == *cli-laptop*active* ]] || fail "tokens list: $listed"
[[ $listed != *"$secret"* ]] || fail "tokens list shows the secret"
id=$(printf '%s\n' "$listed" | grep cli-laptop | cut -d, -f1)
[[ ${#id} -eq 12 ]] || fail "token id '$id' from: $listed"

RECTIFY_TOKEN=demo-street "$ctl" tokens revoke "$id" >/dev/null || fail "revoke"
set +e
out=$(RECTIFY_TOKEN=$secret "$ctl" whoami 2>&1)
code=$?
set -e
[[ $code -ne 0 && $out == *UNAUTHENTICATED* && $out == *revoked* ]] || fail "revoked token: $code $out"

audit=$(RECTIFY_TOKEN=demo-supervisor "$ctl" --output=csv audit --method RevokeToken)
[[ $audit == *"$me"*RevokeToken*"tokens/$id"*OK* ]] || fail "audit: $audit"
set +e
out=$(RECTIFY_TOKEN=demo-property "$ctl" audit 2>&1)
code=$?
set -e
[[ $code -ne 0 && $out == *PERMISSION_DENIED* ]] || fail "a company reading the audit: $code $out"
stop_demo

# Mutual TLS with throwaway certificates.
certs=$dir/certs
mkdir -p "$certs"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -days 2 -subj /CN=test-ca -keyout "$certs/ca.key" \
  -out "$certs/ca.pem" 2>/dev/null
echo "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$certs/server.ext"
echo "extendedKeyUsage=clientAuth" >"$certs/client.ext"
for name in server client; do
  openssl req "${ec[@]}" -subj "/CN=$name" -keyout "$certs/$name.key" -out "$certs/$name.csr" \
    2>/dev/null
  openssl x509 -req -days 2 -in "$certs/$name.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" \
    -CAcreateserial -extfile "$certs/$name.ext" -out "$certs/$name.pem" 2>/dev/null
done
rm -f "$dir/port"
"$server" --db="$dir/demo.db" --listen=127.0.0.1:0 --port_file="$dir/port" --data_dir="$data" \
  --tls_cert="$certs/server.pem" --tls_key="$certs/server.key" \
  --tls_client_ca="$certs/ca.pem" >>"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 200); do [[ -s $dir/port ]] && break; sleep 0.05; done
[[ -s $dir/port ]] || { cat "$dir/log"; fail "the TLS server did not start"; }
export RECTIFY_ADDR=127.0.0.1:$(cat "$dir/port")
grep -q "mutual TLS" "$dir/log" || fail "the server does not say it serves mutual TLS"

RECTIFY_TOKEN=demo-street "$ctl" --ca-cert "$certs/ca.pem" --cert "$certs/client.pem" \
  --key "$certs/client.key" whoami >/dev/null || fail "whoami over mutual TLS"
set +e
out=$(RECTIFY_TOKEN=demo-street "$ctl" --ca-cert "$certs/ca.pem" whoami 2>&1)
code=$?
set -e
[[ $code -ne 0 && $out == *UNAVAILABLE* ]] || fail "no client certificate: $code $out"
pass
