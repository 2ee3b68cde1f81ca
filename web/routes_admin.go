package web

// adminRoutes registers the administration screens: users, roles, the
// caller's own account and API tokens, and the audit trail.
func (s *Server) adminRoutes(protect protectFunc) {
}
