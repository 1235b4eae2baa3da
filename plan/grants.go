package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/s3grant/s3grant/spec"
)

// MaxGrants bounds the grants of one grants file: a team's buckets times
// its consumer accounts, few enough that planning, proving and reading
// every account stays in seconds and that the plan file (each grant's own
// plan, ~20 KB, plus the merged documents) stays under the 4 MB a plan
// file may be (WriteSetFile refuses a bigger one).
const MaxGrants = 200

// GrantsExample is the valid grants file every refusal points to.
const GrantsExample = "grants.yaml holding grants: " +
	"[{method: bucket-policy, bucket: analytics-exports, " +
	"owner-account: 111122223333, consumer-account: [222233334444]}]"

// IsGrantsFile reports whether a spec file's content is a grants file: a
// mapping whose only field is grants (YAML or JSON). Anything else is read
// as a single spec, whose strict parse names a misspelt field.
func IsGrantsFile(data []byte) bool {
	var top map[string]json.RawMessage
	j, err := yaml.YAMLToJSON(data)
	if err != nil || json.Unmarshal(j, &top) != nil {
		return false
	}
	_, ok := top["grants"]
	return ok
}

// ParseGrants reads a grants file: {grants: [spec, ...]}, each item with
// exactly the fields of a single spec (the flag names of s3grant plan),
// parsed strictly one by one so that an error names the item
// (grants[3].bucket). Each spec gets its defaults and is validated; every
// problem of every item is returned in one *spec.ValidationError. Which
// grants may stand together (duplicates, conflicts, one owner account) is
// NewSet's to check, since it needs the derived grant IDs.
func ParseGrants(data []byte) ([]spec.Spec, error) {
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, &spec.FieldError{Field: "grants", Rule: "not YAML or JSON: " + err.Error(), Example: GrantsExample}
	}
	var top struct {
		Grants []json.RawMessage `json:"grants"`
	}
	if err := strictJSON(j, &top); err != nil {
		return nil, &spec.FieldError{
			Field: "grants", Example: GrantsExample,
			Rule: "a grants file holds only grants, a list of grants: " + err.Error(),
		}
	}
	switch {
	case len(top.Grants) == 0:
		return nil, &spec.FieldError{Field: "grants", Rule: "is empty: list at least one grant", Example: GrantsExample}
	case len(top.Grants) > MaxGrants:
		return nil, &spec.FieldError{
			Field: "grants", Example: GrantsExample,
			Rule: fmt.Sprintf("%d given, at most %d in one file: split the file by owner account or bucket",
				len(top.Grants), MaxGrants),
		}
	}
	var probs []*spec.FieldError
	specs := make([]spec.Spec, len(top.Grants))
	for i, raw := range top.Grants {
		at := fmt.Sprintf("grants[%d]", i)
		if err := strictJSON(raw, &specs[i]); err != nil {
			probs = append(probs, &spec.FieldError{
				Field: at, Example: GrantsExample,
				Rule: "not a grant: " + err.Error() +
					" (fields are the flag names, e.g. bucket, owner-account, consumer-account)",
			})
			continue
		}
		specs[i] = specs[i].WithDefaults()
		probs = append(probs, Within(at, specs[i].Validate())...)
	}
	if len(probs) > 0 {
		return nil, &spec.ValidationError{Problems: probs}
	}
	return specs, nil
}

// strictJSON decodes one JSON value, refusing unknown fields and trailing
// data: a misspelt field is an error, never ignored.
func strictJSON(data []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the value")
	}
	return nil
}

// Within returns err's field errors with each field put under at
// (bucket -> grants[3].bucket); an error that names no field becomes one
// on at itself.
func Within(at string, err error) []*spec.FieldError {
	if err == nil {
		return nil
	}
	fes := spec.AsFieldErrors(err)
	if fes == nil {
		return []*spec.FieldError{{Field: at, Rule: err.Error(), Example: GrantsExample}}
	}
	out := make([]*spec.FieldError, len(fes))
	for i, fe := range fes {
		out[i] = &spec.FieldError{Field: at + "." + fe.Field, Rule: fe.Rule, Example: fe.Example}
	}
	return out
}

// checkTogether refuses grants that cannot stand in one file: two with the
// same grant ID (their Sids would collide: the same method, bucket and
// consumer accounts must be one grant), two whose principals overlap on one
// bucket with different access (the consumer would get the union, which
// neither grant asks for), acl grants (one ACL per bucket, no Sids), and grants of different owner accounts (one
// owner's buckets per file, so one owner profile reaches them all).
func checkTogether(plans []*Plan) []*spec.FieldError {
	var probs []*spec.FieldError
	for i, a := range plans {
		if a.Spec.Method == spec.MethodACL {
			probs = append(probs, &spec.FieldError{
				Field: fmt.Sprintf("grants[%d].method", i), Example: string(spec.MethodBucketPolicy),
				Rule: "acl is not supported in a grants file: " +
					"a bucket has one ACL, which grants cannot share by Sid (and ACLs are legacy); " +
					"use bucket-policy, or plan the acl grant on its own",
			})
		}
		if a.Spec.OwnerAccount != plans[0].Spec.OwnerAccount {
			probs = append(probs, &spec.FieldError{
				Field: fmt.Sprintf("grants[%d].owner-account", i), Example: plans[0].Spec.OwnerAccount,
				Rule: fmt.Sprintf("is %s but grants[0] has %s: one grants file holds the buckets of one owner account",
					a.Spec.OwnerAccount, plans[0].Spec.OwnerAccount),
			})
		}
		for j := range i {
			b := plans[j]
			switch {
			case a.GrantID == b.GrantID:
				probs = append(probs, &spec.FieldError{
					Field: fmt.Sprintf("grants[%d]", i), Example: "one grant listing every principal and prefix",
					Rule: fmt.Sprintf("duplicates grants[%d]: both are grant %s "+
						"(same method %s, bucket %s and consumer accounts %s): merge them into one grant",
						j, a.GrantID, a.Spec.Method, a.Spec.Bucket, strings.Join(a.Spec.ConsumerAccounts, ",")),
				})
			case a.Spec.Bucket == b.Spec.Bucket && a.Spec.Access != b.Spec.Access:
				if who := overlap(a.Spec, b.Spec); who != "" {
					probs = append(probs, &spec.FieldError{
						Field: fmt.Sprintf("grants[%d].access", i), Example: string(b.Spec.Access),
						Rule: fmt.Sprintf("conflicts with grants[%d]: "+
							"%s would get %s access to bucket %s from grants[%d] and %s from grants[%d]: "+
							"give one access level per principal and bucket",
							j, who, a.Spec.Access, a.Spec.Bucket, i, b.Spec.Access, j),
					})
				}
			}
		}
	}
	return probs
}

// overlap names a principal both specs grant to, or "". A spec without
// consumer principals grants to its whole accounts, which holds every
// principal named in them.
func overlap(a, b spec.Spec) string {
	for _, acct := range a.ConsumerAccounts {
		if !slices.Contains(b.ConsumerAccounts, acct) {
			continue
		}
		pa, pb := a.PrincipalsIn(acct), b.PrincipalsIn(acct)
		switch {
		case len(pa) == 0 && len(pb) == 0:
			return "account " + acct
		case len(pa) == 0:
			return pb[0]
		case len(pb) == 0:
			return pa[0]
		}
		for _, p := range pa {
			if slices.Contains(pb, p) {
				return p
			}
		}
	}
	return ""
}
