# Creates the read-only MariaDB account mysqld_exporter logs in with.
#
# docker-compose.yml mounts this file into the mariadb container's
# /docker-entrypoint-initdb.d, so it runs once, when the data volume is
# first initialised. The entrypoint sources (does not execute) *.sh files,
# which gives it docker_process_sql; the password comes from the
# environment (MYSQLD_EXPORTER_PASSWORD in .env), never from this file.
#
# Debian's mysqld_exporter 0.14 on MariaDB 10.11 needs exactly these grants:
# PROCESS and SELECT for status and information_schema, REPLICATION CLIENT
# and SLAVE MONITOR for SHOW SLAVE STATUS.

if [ -z "${MYSQLD_EXPORTER_PASSWORD:-}" ]; then
	echo >&2 "create-exporter-user.sh: MYSQLD_EXPORTER_PASSWORD is empty; not creating the exporter account"
	return 1
fi

# Escape backslashes and quotes for the SQL string literal.
exporter_password=$(printf '%s' "$MYSQLD_EXPORTER_PASSWORD" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")

docker_process_sql <<-EOSQL
	CREATE USER IF NOT EXISTS 'exporter'@'%' IDENTIFIED BY '${exporter_password}' WITH MAX_USER_CONNECTIONS 3;
	GRANT PROCESS, REPLICATION CLIENT, SLAVE MONITOR, SELECT ON *.* TO 'exporter'@'%';
EOSQL
unset exporter_password
