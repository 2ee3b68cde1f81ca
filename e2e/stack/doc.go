// Package stack holds the stack check, a test that runs the app,
// mysqld_exporter and Prometheus on loopback with the project's own
// configuration (prometheus/, grafana/, docker-compose.yml) and proves that
// every Grafana dashboard query returns data and every alert rule
// evaluates. It needs MariaDB (TEST_MARIADB_URL) and Debian's prometheus,
// promtool, prometheus-mysqld-exporter and docker-compose; without them it
// skips, or fails when SCHOOLADMIN_REQUIRE_ALL=1.
package stack
