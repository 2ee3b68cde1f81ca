package web

// Fingerprint exposes the idempotency fingerprint to the external tests.
var Fingerprint = fingerprint
