#!/usr/bin/env bash
# Installs what the reliability tests (e2e/reliability, and the private
# servers of models/modelstest/mariadbd.go) need, from Debian:
#   mariadb-server-core   mariadbd and mariadb-install-db: each fault test
#                         starts its own throw-away server on a free port
# mariadb-server (which .ci/run installs for the shared server) depends on
# it, so this usually does nothing. Run as `bash .ci/reliability-deps.sh`.
set -euo pipefail

have() { command -v "$1" >/dev/null || [[ -x /usr/sbin/$1 || -x /usr/bin/$1 ]]; }
if have mariadbd && have mariadb-install-db; then
	exit 0
fi

sudo=""
if [[ $(id -u) != 0 ]]; then
	sudo="sudo"
fi
# env, because sudo would drop an exported DEBIAN_FRONTEND.
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq)
"${apt[@]}" update
"${apt[@]}" install -y --no-install-recommends mariadb-server-core >/dev/null
