package wizard

import (
	"strings"

	"github.com/s3grant/s3grant/spec"
)

// Finding is one answer connected mode read from the accounts: the value
// and where it was read, or, when there is none, why (one line). The zero
// Finding means nothing was looked up.
type Finding struct {
	Value  string
	Source string // where Value was read, e.g. "the bucket's default encryption"
	Why    string // why there is no Value, e.g. "GetBucketEncryption was denied (AccessDenied)"
}

// Found is what connected mode read for the questions. Region and KMSKey
// belong to Bucket: they count only while the bucket answer is that bucket.
type Found struct {
	Bucket      string
	Region      Finding // the bucket's region
	KMSKey      Finding // the bucket's default-encryption key, when SSE-KMS with a customer managed key
	CanonicalID Finding // the consumer account's canonical user ID (the acl method)
}

// Finding returns what was read for a field (its flag), or the zero
// Finding: the bucket's findings only while the bucket answer is theirs.
func (a *Answers) Finding(field string) Finding {
	f := a.Found
	sameBucket := f.Bucket != "" && f.Bucket == strings.TrimSpace(a.Bucket)
	switch field {
	case spec.FlagRegion:
		if sameBucket {
			return f.Region
		}
	case spec.FlagKMSKey:
		if sameBucket {
			return f.KMSKey
		}
	case spec.FlagCanonicalID:
		return f.CanonicalID
	}
	return Finding{}
}

// LookUp reports whether bucket's findings are still to be read, and from
// then on counts them as being read (none yet), so each bucket is read
// once however many screens ask.
func (a *Answers) LookUp(bucket string) bool {
	if bucket == "" || a.Found.Bucket == bucket {
		return false
	}
	a.Found = Found{Bucket: bucket, CanonicalID: a.Found.CanonicalID}
	return true
}

// SetBucketFindings keeps what was read from bucket. A value the spec's
// rules refuse (a key in another account) is not offered: the rule becomes
// the reason. A customer managed key opens the KMS question, unless a key
// is typed already: the bucket's objects need it.
func (a *Answers) SetBucketFindings(bucket string, region, key Finding) {
	a.Found.Bucket, a.Found.Region, a.Found.KMSKey = bucket, region, key
	a.Found.Region = a.usable(spec.FlagRegion, a.Found.Region)
	a.Found.KMSKey = a.usable(spec.FlagKMSKey, a.Found.KMSKey)
	if a.Finding(spec.FlagKMSKey).Value != "" && strings.TrimSpace(a.KMSKey) == "" {
		a.UseKMS = true
	}
}

// SetCanonicalFinding keeps the consumer's canonical user ID as read.
func (a *Answers) SetCanonicalFinding(id Finding) {
	a.Found.CanonicalID = a.usable(spec.FlagCanonicalID, id)
}

// usable checks a found value with the field's own rules among the other
// answers, as if the user had typed it.
func (a *Answers) usable(field string, f Finding) Finding {
	if f.Value == "" {
		return f
	}
	cp := *a
	cp.Method = usableMethod(field, a.Method)
	cp.UseKMS = true
	if probs := cp.problems(field, f.Value); len(probs) > 0 {
		return Finding{Why: "found " + f.Value + " in " + f.Source + ", refused: " + probs[0].Rule}
	}
	return f
}

// usableMethod is a method under which the field is in the spec, so its
// rules run (the canonical ID exists only for acl).
func usableMethod(field string, m spec.Method) spec.Method {
	if field == spec.FlagCanonicalID {
		return spec.MethodACL
	}
	return m
}

// or is the typed answer, or, when none was typed, what was found.
func (a *Answers) or(field, typed string) string {
	if t := strings.TrimSpace(typed); t != "" {
		return t
	}
	return a.Finding(field).Value
}

// Note is the question's one line about connected mode: where its default
// was read, or why nothing was; "" when nothing was looked up.
func (q Question) Note(a *Answers) string {
	if q.Finds == "" {
		return ""
	}
	f := a.Finding(q.Finds)
	switch {
	case f.Value != "" && q.Kind == KindConfirm:
		return "Found " + f.Value + " in " + f.Source + "."
	case f.Value != "":
		return "Default read from " + f.Source + "; type another value to override it."
	case f.Why != "":
		return "Not pre-filled: " + f.Why + "."
	}
	return ""
}
