// Package apiclient is a Go client of schooladmin's JSON API, generated
// from the OpenAPI document (web/openapi/openapi.yaml) by oapi-codegen. It proves
// the document is usable: the e2e tests drive the API through it. Do not
// edit apiclient.gen.go; change the document and run go generate.
package apiclient

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../web/openapi/openapi.yaml
