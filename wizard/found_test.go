package wizard

import (
	"strings"
	"testing"

	"github.com/s3grant/s3grant/arn"
	"github.com/s3grant/s3grant/spec"
)

// TestBucketFindingsAreDefaults: connected mode's findings are the
// defaults of the region and key questions (shown as "default: ..."), an
// empty answer means them in the spec, a typed answer wins, and they stop
// counting when the bucket answer changes.
func TestBucketFindingsAreDefaults(t *testing.T) {
	a := answersFor(spec.MethodBucketPolicy, "222233334444")
	key := arn.Key(arn.China, "cn-north-1", spec.ExampleAccount, "1234abcd-12ab-34cd-56ef-1234567890ab")
	a.SetBucketFindings(spec.ExampleBucket,
		Finding{Value: "cn-north-1", Source: "the bucket's location"},
		Finding{Value: key, Source: "the bucket's default encryption"})
	if !a.UseKMS {
		t.Error("a found customer managed key should open the KMS question")
	}
	s := a.Spec()
	if s.Region != "cn-north-1" || s.KMSKey != key {
		t.Errorf("spec region %q key %q, want the findings", s.Region, s.KMSKey)
	}
	if err := s.WithDefaults().Validate(); err != nil {
		t.Errorf("the spec from findings: %v", err)
	}
	if got := question(t, spec.FlagRegion).Placeholder(a); got != "default: cn-north-1" {
		t.Errorf("region placeholder %q", got)
	}
	if note := question(t, spec.FlagKMSKey).Note(a); !strings.Contains(note, "the bucket's default encryption") {
		t.Errorf("key note %q", note)
	}
	if note := question(t, KeyUseKMS).Note(a); !strings.Contains(note, key) {
		t.Errorf("the KMS yes/no should name the key found: %q", note)
	}
	// The gated key field accepts an empty answer: it means the key found.
	if err := question(t, spec.FlagKMSKey).Validate(a)(""); err != nil {
		t.Errorf("empty key answer with a found key: %v", err)
	}
	a.Region = "cn-northwest-1"
	if got := a.Spec().Region; got != "cn-northwest-1" {
		t.Errorf("a typed region should win: %q", got)
	}
	a.Region, a.Bucket = "", "another-bucket"
	if s := a.Spec(); s.Region != "" || s.KMSKey != "" {
		t.Errorf("findings of another bucket leaked: region %q key %q", s.Region, s.KMSKey)
	}
	if err := question(t, spec.FlagKMSKey).Validate(a)(""); err == nil {
		t.Error("without a finding, an empty key after yes must be refused")
	}
}

// TestFindingRefusedByTheRules: a key in another account is not offered;
// the rule it breaks is the reason shown, and the question stays closed.
func TestFindingRefusedByTheRules(t *testing.T) {
	a := answersFor(spec.MethodBucketPolicy, "222233334444")
	other := arn.Key(arn.AWS, spec.ExampleRegion, "999988887777", "1234abcd-12ab-34cd-56ef-1234567890ab")
	a.SetBucketFindings(spec.ExampleBucket, Finding{Value: spec.ExampleRegion, Source: "the bucket's location"},
		Finding{Value: other, Source: "the bucket's default encryption"})
	f := a.Finding(spec.FlagKMSKey)
	if f.Value != "" || !strings.Contains(f.Why, "999988887777") || a.UseKMS {
		t.Errorf("foreign key: finding %+v, UseKMS %v", f, a.UseKMS)
	}
	if note := question(t, KeyUseKMS).Note(a); !strings.HasPrefix(note, "Not pre-filled: found "+other) {
		t.Errorf("note %q", note)
	}
}

// TestReasonWhenNotRead: a read that failed leaves the question asked as
// before (no default) with the reason as its note.
func TestReasonWhenNotRead(t *testing.T) {
	a := answersFor(spec.MethodBucketPolicy, "222233334444")
	denied := Finding{Why: "GetBucketEncryption was denied (AccessDenied)"}
	a.SetBucketFindings(spec.ExampleBucket, Finding{Value: spec.ExampleRegion, Source: "the bucket's location"}, denied)
	q := question(t, spec.FlagKMSKey)
	if q.DefaultValue(a) != "" || a.UseKMS || a.Spec().KMSKey != "" {
		t.Errorf("a denied read gave a default: %q, UseKMS %v", q.DefaultValue(a), a.UseKMS)
	}
	if got, want := question(t, KeyUseKMS).Note(a), "Not pre-filled: GetBucketEncryption was denied (AccessDenied)."; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
	if !strings.HasPrefix(q.Placeholder(a), "e.g. ") {
		t.Errorf("placeholder %q should stay an example", q.Placeholder(a))
	}
}

// TestCanonicalFinding: the consumer's canonical ID is the acl method's
// default; one that is not 64 hex digits (moto's) is not offered.
func TestCanonicalFinding(t *testing.T) {
	a := answersFor(spec.MethodACL, "222233334444")
	a.SetCanonicalFinding(Finding{Value: spec.ExampleCanonical, Source: "the consumer account (ListBuckets)"})
	if got := a.Spec().CanonicalIDs; len(got) != 1 || got[0] != spec.ExampleCanonical {
		t.Errorf("canonical IDs %v", got)
	}
	if got := question(t, spec.FlagCanonicalID).Placeholder(a); got != "default: "+spec.ExampleCanonical {
		t.Errorf("placeholder %q", got)
	}
	a.SetCanonicalFinding(Finding{Value: "bcaf1ffd86f41161ca5fb16fd081034f", Source: "the consumer account (ListBuckets)"})
	if f := a.Finding(spec.FlagCanonicalID); f.Value != "" || !strings.Contains(f.Why, "64 lowercase hex") {
		t.Errorf("short canonical ID: %+v", f)
	}
}

// TestLookUpOnce: a bucket is read once; asking for another forgets the
// first one's findings (they would be wrong for it) but not the consumer's.
func TestLookUpOnce(t *testing.T) {
	a := answersFor(spec.MethodACL, "222233334444")
	a.SetCanonicalFinding(Finding{Value: spec.ExampleCanonical, Source: "the consumer account (ListBuckets)"})
	if !a.LookUp(spec.ExampleBucket) || a.LookUp(spec.ExampleBucket) || a.LookUp("") {
		t.Fatal("LookUp should say yes once per bucket, and never for none")
	}
	a.SetBucketFindings(spec.ExampleBucket, Finding{Value: spec.ExampleRegion, Source: "the bucket's location"}, Finding{})
	a.Bucket = "other-bucket"
	if !a.LookUp("other-bucket") || a.Found.Region.Value != "" || a.Finding(spec.FlagCanonicalID).Value != spec.ExampleCanonical {
		t.Errorf("after asking for another bucket: %+v", a.Found)
	}
}
