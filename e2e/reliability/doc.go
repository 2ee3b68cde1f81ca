// Package reliability holds the fault tests of issue 6: they build the
// real schooladmin binary once, run it as a subprocess against private
// MariaDB servers (modelstest.StartMariaDBD) and break things for real —
// stop and kill -9 the database, restart it, send SIGTERM with requests in
// flight, run two replicas on one database, trickle headers. They skip
// only where MariaDB (mariadbd, mariadb-install-db) is not installed, and
// fail instead under SCHOOLADMIN_REQUIRE_ALL=1.
package reliability
