// Package browser holds the end-to-end tests that drive the real app in a
// headless Chromium: a person's path through the students screens, and the
// screenshots in docs/screenshots (written only when SCREENSHOTS_DIR is set).
//
//	SCHOOLADMIN_REQUIRE_ALL=1 go test -v ./e2e/browser/
//	SCREENSHOTS_DIR=$PWD/docs/screenshots go test -run Screenshots ./e2e/browser/
package browser
