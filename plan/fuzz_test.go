package plan

import (
	"bytes"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/spec"
)

// FuzzSpec: any answers are either rejected with field errors that name the
// field and carry an example, or produce a plan whose documents keep every
// property of checkPlanProperties. Never a panic.
func FuzzSpec(f *testing.F) {
	for _, ex := range Examples() {
		s := ex.Spec
		f.Add(methodIndex(s.Method), accessIndex(s.Access), s.Bucket, s.Region, s.OwnerAccount, strings.Join(s.ConsumerAccounts, ","),
			strings.Join(s.ConsumerPrincipals, ","), strings.Join(s.Prefixes, ","), s.OrgID, s.ExternalID, s.RoleName,
			s.AccessPoint, s.AccessPointOwner, s.KMSKey, strings.Join(s.CanonicalIDs, ","), s.NoRequireTLS)
	}
	f.Fuzz(func(t *testing.T, m, a uint8, bucket, region, owner, consumers, principals, prefixes, org, ext, role, ap, apOwner, kms, canon string, noTLS bool) {
		s := spec.Spec{
			Method: spec.Methods[int(m)%len(spec.Methods)], Access: spec.AccessLevels[int(a)%len(spec.AccessLevels)],
			Bucket: bucket, Region: region, OwnerAccount: owner, ConsumerAccounts: split(consumers), ConsumerPrincipals: split(principals),
			Prefixes: split(prefixes), OrgID: org, ExternalID: ext, RoleName: role, AccessPoint: ap, AccessPointOwner: apOwner,
			KMSKey: kms, CanonicalIDs: split(canon), NoRequireTLS: noTLS,
		}
		p, err := New(s, nil)
		if err != nil {
			fes := spec.AsFieldErrors(err)
			if len(fes) == 0 {
				t.Fatalf("error without field errors: %v", err)
			}
			for _, fe := range fes {
				if fe.Field == "" || fe.Rule == "" || fe.Example == "" {
					t.Fatalf("incomplete field error %+v", fe)
				}
			}
			return
		}
		for _, prob := range checkPlanProperties(p) {
			t.Errorf("%s", prob)
		}
	})
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func methodIndex(m spec.Method) uint8 {
	for i, v := range spec.Methods {
		if v == m {
			return uint8(i)
		}
	}
	return 0
}

func accessIndex(a spec.Access) uint8 {
	for i, v := range spec.AccessLevels {
		if v == a {
			return uint8(i)
		}
	}
	return 0
}

// FuzzReadPlan: any bytes handed to the plan reader are refused with field
// errors (field, rule and example each set) or give a plan that is its own
// derivation: written and read again, it is the same plan. Never a panic.
// The seed corpus (testdata/fuzz/FuzzReadPlan) holds plans of every method
// and tampered ones.
func FuzzReadPlan(f *testing.F) {
	for _, ex := range Examples()[:4] {
		p, err := New(ex.Spec, nil)
		if err != nil {
			f.Fatal(err)
		}
		data, _ := Marshal(p)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			fes := spec.AsFieldErrors(err)
			if len(fes) == 0 {
				t.Fatalf("error without field errors: %v", err)
			}
			for _, fe := range fes {
				if fe.Field == "" || fe.Rule == "" || fe.Example == "" {
					t.Fatalf("incomplete field error %+v", fe)
				}
			}
			return
		}
		out, err := Marshal(p)
		if err != nil {
			t.Fatalf("a plan the reader accepted cannot be written: %v", err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("a plan the reader accepted, written again, is refused: %v", err)
		}
		if out2, _ := Marshal(again); !bytes.Equal(out, out2) {
			t.Fatal("reading a plan is not idempotent")
		}
	})
}
