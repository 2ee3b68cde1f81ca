#!/usr/bin/env bash
# Installs what the stack check (e2e/stack) needs, from Debian:
#   prometheus                  prometheus and promtool
#   prometheus-mysqld-exporter  the MariaDB exporter the dashboards read
#   docker-compose              validates docker-compose.yml (no engine needed)
# Run as `bash .ci/stack-deps.sh`. Does nothing when all are present.
set -euo pipefail

missing=()
command -v prometheus >/dev/null || missing+=(prometheus)
command -v promtool >/dev/null || missing+=(prometheus)
command -v prometheus-mysqld-exporter >/dev/null || missing+=(prometheus-mysqld-exporter)
command -v docker-compose >/dev/null || missing+=(docker-compose)
if ((${#missing[@]} == 0)); then
	exit 0
fi

sudo=""
if [[ $(id -u) != 0 ]]; then
	sudo="sudo"
fi

# The packages would start system-wide daemons listening on every
# interface; the check starts its own on loopback, so forbid service starts
# for the duration of the install unless a policy is already in place.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
	printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
	$sudo chmod 755 /usr/sbin/policy-rc.d
	trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi

# env, because sudo would drop an exported DEBIAN_FRONTEND.
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq)
"${apt[@]}" update
"${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
