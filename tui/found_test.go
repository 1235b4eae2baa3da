package tui

import (
	"context"
	"testing"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// fixedFinder answers the questions' defaults as given: the aws package's
// reads are tested against moto and the sandbox (aws.TestSuggest*), and
// through the whole wiring in cmd.TestWizard*; this checks the form.
type fixedFinder struct {
	region, key, canonical wizard.Finding
	asked                  chan string // the buckets read
}

func (fixedFinder) Suggest(context.Context) (Suggestions, error) { return Suggestions{}, nil }

func (f fixedFinder) Bucket(_ context.Context, bucket string) (region, key wizard.Finding) {
	f.asked <- bucket
	return f.region, f.key
}

func (f fixedFinder) CanonicalID(context.Context) wizard.Finding { return f.canonical }

func connectedFinding(t *testing.T, f fixedFinder, m spec.Method) *driver {
	t.Helper()
	d := newDriver(t, Options{Profiles: fakeProfiles{"default", "owner", "consumer"}, Connector: fakeConnector{suggest: f}}, 120, 40)
	d.wantView("How do you want to run?", "Connect with profiles")
	d.keys("enter", "down", "enter", "down", "down", "enter")
	d.wantView("How should the consumer get in?")
	pickMethod(d, m)
	return d
}

var demoKey = "arn:aws:kms:eu-west-1:" + plan.ExOwner + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"

// TestFormOffersWhatTheBucketSays: once the bucket is answered, the region
// field shows the bucket's region as its default with where it was read;
// the KMS yes/no is yes and the key field offers the bucket's key; enter
// at each puts them in the spec.
func TestFormOffersWhatTheBucketSays(t *testing.T) {
	t.Parallel()
	f := fixedFinder{
		region: wizard.Finding{Value: "eu-west-1", Source: "the bucket's location"},
		key:    wizard.Finding{Value: demoKey, Source: "the bucket's default encryption"}, asked: make(chan string, 4),
	}
	d := connectedFinding(t, f, spec.MethodBucketPolicy)
	d.keys("analytics-exports", "enter")
	d.wantView("default: eu-west-1", "Default read from the bucket's location")
	if got := <-f.asked; got != "analytics-exports" {
		t.Errorf("read bucket %q", got)
	}
	d.keys("enter", "enter", "reports/", "enter", "enter") // region, access, prefixes, principals
	d.wantView("Are the objects encrypted", demoKey)
	d.keys("enter", "enter", "enter") // yes (the default: the bucket has a key), no org, deny HTTP
	d.wantView("KMS key ARN", "default: "+demoKey)
	d.keys("enter") // the key found
	d.wantView("Preview")
	if s := d.m.ans.Spec(); s.Region != "eu-west-1" || s.KMSKey != demoKey {
		t.Errorf("spec region %q key %q", s.Region, s.KMSKey)
	}
}

// TestFormAsksWhenEncryptionIsDenied: GetBucketEncryption was denied: the
// KMS question is asked as offline (no by default) with the reason.
func TestFormAsksWhenEncryptionIsDenied(t *testing.T) {
	t.Parallel()
	f := fixedFinder{
		region: wizard.Finding{Value: "eu-west-1", Source: "the bucket's location"},
		key:    wizard.Finding{Why: "GetBucketEncryption was denied (AccessDenied)"}, asked: make(chan string, 4),
	}
	d := connectedFinding(t, f, spec.MethodBucketPolicy)
	d.keys("analytics-exports", "enter")
	d.wantView("default: eu-west-1")
	d.keys("enter", "enter", "reports/", "enter", "enter")
	d.wantView("Are the objects encrypted", "Not pre-filled: GetBucketEncryption was denied (AccessDenied).")
	d.keys("enter", "enter", "enter") // no (the default), no org, deny HTTP
	d.wantView("Preview")
	if s := d.m.ans.Spec(); s.KMSKey != "" || d.m.ans.UseKMS {
		t.Errorf("a denied read set the key %q (UseKMS %v)", s.KMSKey, d.m.ans.UseKMS)
	}
}

// TestFormOffersTheConsumersCanonicalID: with acl, the canonical ID field
// offers the consumer's ID, and enter keeps it.
func TestFormOffersTheConsumersCanonicalID(t *testing.T) {
	t.Parallel()
	f := fixedFinder{canonical: wizard.Finding{Value: plan.ExCanonical, Source: "the consumer account (ListBuckets)"}, asked: make(chan string, 4)}
	d := connectedFinding(t, f, spec.MethodACL)
	d.keys("analytics-exports", "enter", "enter", "enter", "enter") // bucket, region, access, principals
	d.wantView("Canonical user IDs", "default: "+plan.ExCanonical, "Default read from the consumer account")
	d.keys("enter", "enter", "enter", "enter", "enter") // the ID, no consent, no KMS key, no org, deny HTTP
	d.wantView("Preview")
	if got := d.m.ans.Spec().CanonicalIDs; len(got) != 1 || got[0] != plan.ExCanonical {
		t.Errorf("canonical IDs %v", got)
	}
}

// TestFindingsEndWithTheConnection: back to the accounts, the findings of
// the old profiles are dropped (other profiles may see other accounts).
func TestFindingsEndWithTheConnection(t *testing.T) {
	t.Parallel()
	f := fixedFinder{region: wizard.Finding{Value: "eu-west-1", Source: "the bucket's location"}, asked: make(chan string, 4)}
	d := connectedFinding(t, f, spec.MethodBucketPolicy)
	d.keys("analytics-exports", "enter")
	d.wantView("default: eu-west-1")
	d.keys("esc")
	d.wantView("How should the consumer get in?")
	d.keys("esc")
	d.wantView("How do you want to run?")
	if got := d.m.ans.Found; got != (wizard.Found{}) {
		t.Errorf("findings kept after leaving the connection: %+v", got)
	}
}
