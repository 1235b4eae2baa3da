package wizard

import (
	"slices"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/spec"
)

func answersFor(m spec.Method, consumers string) *Answers {
	a := NewAnswers(spec.Spec{Method: m, OwnerAccount: spec.ExampleAccount, Bucket: spec.ExampleBucket}, "", "")
	a.Consumers = consumers
	return a
}

func askedKeys(a *Answers) []string {
	var keys []string
	for _, q := range Questions() {
		if q.Shown(a) {
			keys = append(keys, q.Key)
		}
	}
	return keys
}

// TestAskedPerMethod pins which questions each method asks, in order
// (gated questions included: whether they open is the yes/no's answer).
func TestAskedPerMethod(t *testing.T) {
	common := []string{"bucket", "region", "access", "prefix", "consumer-principal"}
	guard := []string{KeyUseKMS, "kms-key", "org-id", KeyRequireTLS}
	cases := []struct {
		m         spec.Method
		consumers string
		want      []string
	}{
		{spec.MethodBucketPolicy, "222233334444", slices.Concat(common, guard)},
		{spec.MethodIAMRole, "222233334444", slices.Concat(common, []string{"role-name", KeyUseExternalID, "external-id"}, guard)},
		{spec.MethodAccessPoint, "222233334444", slices.Concat(common, []string{"access-point", "access-point-owner"}, guard)},
		// A consumer-owned access point belongs to one account.
		{spec.MethodAccessPoint, "222233334444, 444455556666", slices.Concat(common, []string{"access-point"}, guard)},
		// ACL grants cannot be limited to prefixes.
		// ... and ask for typed consent to turn ACLs back on.
		{spec.MethodACL, "222233334444", slices.Concat([]string{"bucket", "region", "access", "consumer-principal", "canonical-id", KeyACLConsent}, guard)},
	}
	for _, c := range cases {
		if got := askedKeys(answersFor(c.m, c.consumers)); !slices.Equal(got, c.want) {
			t.Errorf("%s with %q:\n got %v\nwant %v", c.m, c.consumers, got, c.want)
		}
	}
}

// TestEveryQuestionHasItsAnswer: each row is a spec field or a yes/no,
// has where its answer is kept, a title and a prompt, and a gate that is an
// earlier yes/no.
func TestEveryQuestionHasItsAnswer(t *testing.T) {
	a := answersFor(spec.MethodIAMRole, "222233334444")
	seen := map[string]Kind{}
	for _, q := range Questions() {
		isField := slices.ContainsFunc(spec.Fields, func(f spec.Field) bool { return f.Name == q.Key })
		switch {
		case q.Kind == KindConfirm && (a.Bool(q.Key) == nil || isField):
			t.Errorf("%s: a yes/no needs a Bool answer and a name of its own", q.Key)
		case q.Kind != KindConfirm && (a.Text(q.Key) == nil || !isField && q.Rule == nil):
			t.Errorf("%s: a text or choice question needs a Text answer and a spec field name", q.Key)
		case q.Kind == KindChoice && q.Options == nil:
			t.Errorf("%s: a choice without options", q.Key)
		}
		if q.Title == "" || q.Prompt == "" || q.Group == "" {
			t.Errorf("%s: title %q, prompt %q, group %q", q.Key, q.Title, q.Prompt, q.Group)
		}
		if q.Gate != "" && seen[q.Gate] != KindConfirm {
			t.Errorf("%s: gate %s is not an earlier yes/no", q.Key, q.Gate)
		}
		if _, dup := seen[q.Key]; dup {
			t.Errorf("%s: asked twice", q.Key)
		}
		seen[q.Key] = q.Kind
	}
}

func question(t *testing.T, key string) Question {
	t.Helper()
	i := slices.IndexFunc(Questions(), func(q Question) bool { return q.Key == key })
	if i < 0 {
		t.Fatalf("no question %s", key)
	}
	return Questions()[i]
}

// TestValidationPerField runs each text question's check on a bad and a
// good value, among answers that make the good one fit.
func TestValidationPerField(t *testing.T) {
	cases := []struct {
		m             spec.Method
		key, bad, msg string
		good          string
	}{
		{spec.MethodBucketPolicy, "bucket", "Bad_Bucket", "must be 3-63 characters", spec.ExampleBucket},
		{spec.MethodBucketPolicy, "region", "europe", "region code", spec.ExampleRegion},
		{spec.MethodBucketPolicy, "prefix", "reports", "/", "reports/, exports/"},
		{spec.MethodBucketPolicy, "prefix", "reports/, reports/daily/", "already covered by reports/", "reports/"},
		{spec.MethodBucketPolicy, "consumer-principal", "arn:aws:iam::999999999999:role/x", "not a --consumer-account", spec.ExamplePrincipal},
		{spec.MethodBucketPolicy, "consumer-principal", "arn:aws:sts::222233334444:assumed-role/x/y", "session", ""},
		{spec.MethodIAMRole, "role-name", "bad name!", "", ""},
		{spec.MethodIAMRole, "external-id", "has space", "", spec.ExampleExternalID},
		{spec.MethodAccessPoint, "access-point", "AP", "", spec.ExampleAPName},
		{spec.MethodACL, "canonical-id", "abc", "", spec.ExampleCanonical},
		{spec.MethodACL, "access", "read", "cannot grant reading objects", "list"},
		{spec.MethodBucketPolicy, "org-id", "org-1", "", spec.ExampleOrgID},
		{
			spec.MethodBucketPolicy, "kms-key", "arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			"not the owner account", spec.ExampleKMSKey,
		},
	}
	for _, c := range cases {
		a := answersFor(c.m, "222233334444")
		a.Region, a.UseKMS, a.UseExternalID = spec.ExampleRegion, true, true
		check := question(t, c.key).Validate(a)
		err := check(c.bad)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s %q: got %v, want an error with %q", c.key, c.bad, err, c.msg)
		}
		if err := check(c.good); err != nil {
			t.Errorf("%s %q: %v", c.key, c.good, err)
		}
	}
}

// TestGatedQuestionsNeedAnAnswer: a yes with nothing typed is a mistake,
// while an empty optional field is fine.
func TestGatedQuestionsNeedAnAnswer(t *testing.T) {
	a := answersFor(spec.MethodIAMRole, "222233334444")
	for _, key := range []string{"external-id", "kms-key"} {
		if err := question(t, key).Validate(a)(" "); err == nil {
			t.Errorf("%s: an empty answer after yes passed", key)
		}
	}
	for _, key := range []string{"org-id", "prefix", "consumer-principal", "region", "role-name"} {
		if err := question(t, key).Validate(a)(""); err != nil {
			t.Errorf("%s: an empty answer: %v", key, err)
		}
	}
}

// TestDefaultsAreNotExamples: a default is what an empty answer becomes
// in the plan; an example is only a shape and never reaches the spec.
func TestDefaultsAreNotExamples(t *testing.T) {
	a := answersFor(spec.MethodIAMRole, "222233334444")
	a.Bucket = "data-lake"
	role := question(t, "role-name")
	if got, want := role.Placeholder(a), "default: "+a.Spec().WithDefaults().RoleName; got != want || want != "default: s3grant-data-lake" {
		t.Errorf("role-name default %q, the plan's %q", got, want)
	}
	ap := answersFor(spec.MethodAccessPoint, "222233334444")
	if got, want := question(t, "access-point").Placeholder(ap), "default: "+ap.Spec().WithDefaults().AccessPoint; got != want {
		t.Errorf("access-point default %q, the plan's %q", got, want)
	}
	s := NewAnswers(spec.Spec{Method: spec.MethodBucketPolicy}, "", "").Spec().WithDefaults()
	for _, q := range Questions() {
		if q.Example == nil {
			continue
		}
		if q.Default != nil {
			t.Errorf("%s has both a default and an example", q.Key)
		}
		ex := q.Example(a)
		if got := q.Placeholder(a); got != "e.g. "+ex {
			t.Errorf("%s: the example shows as %q, not marked as an example", q.Key, got)
		}
		for _, f := range spec.Fields {
			if slices.Contains(f.Values(s), ex) {
				t.Errorf("%s: the example %q reached the spec as %s", q.Key, ex, f.Name)
			}
		}
	}
}

// TestAccessOptionsFollowTheMethod: the form offers what the spec allows.
func TestAccessOptionsFollowTheMethod(t *testing.T) {
	for _, m := range spec.Methods {
		var got []spec.Access
		for _, o := range AccessOptions(m) {
			got = append(got, spec.Access(o.Value))
		}
		if !slices.Equal(got, spec.AccessLevelsFor(m)) {
			t.Errorf("%s: options %v, spec allows %v", m, got, spec.AccessLevelsFor(m))
		}
	}
}

// TestKMSExampleFollowsAnswers: the key's example uses the region, its
// partition and the owner account typed so far.
func TestKMSExampleFollowsAnswers(t *testing.T) {
	a := answersFor(spec.MethodBucketPolicy, "222233334444")
	a.Region = "cn-north-1"
	if got := question(t, "kms-key").Placeholder(a); got != "e.g. arn:aws-cn:kms:cn-north-1:"+spec.ExampleAccount+":key/…" {
		t.Errorf("kms-key example %q", got)
	}
}

// TestAccountsAskedOffline: the account IDs are typed in an offline dry
// run only; connected, the profiles say them.
func TestAccountsAskedOffline(t *testing.T) {
	for _, connect := range []bool{false, true} {
		a := NewAnswers(spec.Spec{}, "", "")
		a.Connect = connect
		for _, q := range AccountQuestions() {
			if q.Shown(a) == connect {
				t.Errorf("%s asked = %v when connect = %v", q.Key, q.Shown(a), connect)
			}
		}
	}
	a := NewAnswers(spec.Spec{}, "", "")
	a.OwnerAcct = spec.ExampleAccount
	for _, q := range AccountQuestions() {
		if err := q.Validate(a)(q.Example(a)); err != nil {
			t.Errorf("%s: its example %q fails: %v", q.Key, q.Example(a), err)
		}
		if err := q.Validate(a)("12345"); err == nil {
			t.Errorf("%s: 12345 passed", q.Key)
		}
	}
}

// TestInFieldWords: a rule written with flags names the wizard's field.
func TestInFieldWords(t *testing.T) {
	got := InFieldWords("role/x is in account 999988887777, which is not a --consumer-account; see --prefix and --prefixes")
	want := `role/x is in account 999988887777, which is not a consumer account (the "Consumer account IDs" field); see prefix (the "Prefixes" field) and --prefixes`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// TestACLConsent: only the word is consent; anything else typed is an
// error naming the word, and empty is no.
func TestACLConsent(t *testing.T) {
	a := answersFor(spec.MethodACL, "222233334444")
	q := question(t, KeyACLConsent)
	check := q.Validate(a)
	if check("") != nil || check(ACLConsentWord) != nil {
		t.Fatal("empty and the word must be accepted")
	}
	if err := check("yes"); err == nil || !strings.Contains(err.Error(), ACLConsentWord) {
		t.Fatalf("yes is not consent: %v", err)
	}
	a.ACLConsent = ACLConsentWord
	if !a.AllowACLDowngrade() {
		t.Fatal("the word typed is consent")
	}
	a.Method = spec.MethodBucketPolicy
	if a.AllowACLDowngrade() {
		t.Fatal("consent only counts for the acl method")
	}
}

// TestPastedValuesOfferTheFix: an ARN in an account field and an s3://
// URI in the bucket field are rejected with what to type instead.
func TestPastedValuesOfferTheFix(t *testing.T) {
	a := answersFor(spec.MethodBucketPolicy, "222233334444")
	cases := map[string][2]string{
		spec.FlagConsumerAccount: {"arn:aws:iam::444455556666:role/analytics", "its account ID is 444455556666"},
		spec.FlagBucket:          {"s3://analytics-exports/reports/", "the bucket is analytics-exports; type that, and reports/ under Prefixes"},
	}
	for field, c := range cases {
		var q Question
		for _, cand := range append(AccountQuestions(), Questions()...) {
			if cand.Key == field {
				q = cand
			}
		}
		err := q.Validate(a)(c[0])
		if err == nil || !strings.Contains(err.Error(), c[1]) {
			t.Errorf("%s %q: got %v, want %q", field, c[0], err, c[1])
		}
	}
}
