package audit

import "testing"

// BenchmarkAuditMessy: the audit of the messy bucket (every kind of grant,
// a key policy, access points), each request under every class of
// condition values.
func BenchmarkAuditMessy(b *testing.B) {
	st := messyState(b)
	for b.Loop() {
		Audit(st)
	}
}

// BenchmarkAuditConditions: grants bound by a prefix, an organization, a
// network and TLS, whose combinations of value classes multiply.
func BenchmarkAuditConditions(b *testing.B) {
	st := conditionState(b)
	for b.Loop() {
		Audit(st)
	}
}
