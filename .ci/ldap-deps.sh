#!/usr/bin/env bash
# Installs what the directory-login tests (auth/authtest's private slapd)
# need, from Debian:
#   slapd       the OpenLDAP server: each test starts its own on a free
#               port and a temporary directory, never the system daemon
#   ldap-utils  ldapsearch and friends, for looking at a test tree by hand
# Run as `bash .ci/ldap-deps.sh`. Does nothing when both are present.
set -euo pipefail

missing=()
[[ -x /usr/sbin/slapd ]] || missing+=(slapd)
command -v ldapsearch >/dev/null || missing+=(ldap-utils)
if ((${#missing[@]} == 0)); then
	exit 0
fi

sudo=""
if [[ $(id -u) != 0 ]]; then
	sudo="sudo"
fi

# slapd's package would start a system-wide directory on port 389 and ask
# for an administrator password; the tests start their own on loopback, so
# forbid service starts for the duration of the install (unless a policy
# is already in place) and answer debconf with its defaults.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
	printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
	$sudo chmod 755 /usr/sbin/policy-rc.d
	trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi

# env, because sudo would drop an exported DEBIAN_FRONTEND.
apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq)
"${apt[@]}" update
"${apt[@]}" install -y --no-install-recommends "${missing[@]}" >/dev/null
