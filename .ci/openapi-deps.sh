#!/usr/bin/env bash
# Installs the OpenAPI document's linter for .ci/run's "OpenAPI lint"
# step: Redocly CLI, pinned, from the npm registry, into a folder outside
# the repository (SCHOOLADMIN_NPM_PREFIX, default /opt/schooladmin-npm).
# Needs Node.js and npm (installed from Debian when missing). Run as
# `bash .ci/openapi-deps.sh`. Does nothing when the pinned version is there.
set -euo pipefail

version=2.77.0
prefix=${SCHOOLADMIN_NPM_PREFIX:-/opt/schooladmin-npm}

installed=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$prefix/node_modules/@redocly/cli/package.json" 2>/dev/null | head -1 || true)
if [[ $installed == "$version" && -x $prefix/node_modules/.bin/redocly ]]; then
	exit 0
fi

if ! command -v npm >/dev/null; then
	sudo=""
	[[ $(id -u) != 0 ]] && sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null
fi
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "@redocly/cli@$version" >/dev/null
