#!/usr/bin/env bash
# Layering (see README): lower layers never include higher ones. CMake cannot
# enforce it (Debian puts every header in /usr/include), so this does.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
check() {  # folder, forbidden include pattern, what it means
  local hits
  hits=$(grep -rnE "^#include [<\"]($2)" "$1" 2>/dev/null || true)
  if [[ -n $hits ]]; then
    echo "layering: $1/ must not include $3:"
    echo "$hits"
    fail=1
  fi
}
check domain 'grpc|grpcpp|google/protobuf|SQLiteCpp|sqlite3|rectify/v1|storage/|server/|client/' "gRPC, protobuf, SQL or a higher layer"
check storage 'grpc|grpcpp|google/protobuf|rectify/v1|server/|client/' "gRPC, protobuf or a higher layer"
check client 'server/|storage/|domain/|SQLiteCpp|sqlite3' "the server, the store or the domain"
check common 'grpc|grpcpp|google/protobuf|SQLiteCpp|sqlite3|rectify/v1|domain/|storage/|server/|client/' "anything but Abseil"
# Only server_main.cc names the concrete store.
hits=$(grep -rln 'sqlite_store.h' server | grep -v 'server_main.cc' || true)
if [[ -n $hits ]]; then echo "layering: only server/server_main.cc may name the SQLite store: $hits"; fail=1; fi
[[ $fail -eq 0 ]] && echo "layering: ok"
exit $fail
