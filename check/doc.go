// Package check is the access check of a plan: the matrix of requests that
// must be allowed and must be denied (matrix*.go), the proof that a plan
// grants nothing more than asked for every action, principal, resource and
// condition value, with the consumer allowing everything (prove*.go), the
// analyzer of the owner's documents, and the same for a grants plan
// (set.go). It imports neither the AWS SDK nor any terminal library.
package check
