// Package audit judges a bucket as it stands: who outside the owner
// account can reach what, through the bucket policy, access points, ACLs,
// roles and keys (audit_grants.go, audit_paths.go), the findings by
// severity (audit_findings.go), their rendering, and the summary of many
// buckets (summary.go). It imports neither the AWS SDK nor any terminal
// library.
package audit
