// Package static holds the stylesheet, script and icons, embedded in the
// binary so the app is one file to deploy.
package static

import "embed"

// FS holds every static file, served under /static/.
//
//go:embed *.css *.js *.svg swagger-ui
var FS embed.FS
