package spec

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Each validator accepts the example it shows in its errors and the edge
// values AWS accepts, and rejects what AWS rejects, naming its field.
func TestValidators(t *testing.T) {
	cases := []struct {
		field string
		fn    func(string) error
		good  []string
		bad   []string
	}{
		{
			"bucket", ValidateBucket,
			[]string{ExampleBucket, "abc", strings.Repeat("a", 63), "my.bucket-1", "1bucket"},
			[]string{"ab", strings.Repeat("a", 64), "My-Bucket", "-abc", "abc-", "a..b", "10.0.0.1", "xn--abc", "sthree-x", "amzn-s3-demo-x", "abc-s3alias", "abc--ol-s3", "abc.mrap", "abc--x-s3", "abc--table-s3", "a_b"},
		},
		{"region", ValidateRegion, []string{ExampleRegion, "us-east-1", "us-gov-west-1", "ap-southeast-4", "cn-north-1"}, []string{"", "us-east", "US-EAST-1", "useast1"}},
		{
			"consumer-principal", ValidatePrincipal,
			[]string{ExamplePrincipal, "arn:aws:iam::222233334444:user/etl", "arn:aws:iam::222233334444:role/path/to/r", "arn:aws-cn:iam::222233334444:role/r"},
			[]string{"arn:aws:iam::222233334444:root", "arn:aws:iam::2222:role/r", "arn:aws:sts::222233334444:assumed-role/r/s", "arn:aws:iam::222233334444:group/g", "arn:aws:iam::222233334444:role/" + strings.Repeat("r", 65), "role/r"},
		},
		{
			"prefix", ValidatePrefix,
			[]string{ExamplePrefix, "a/", "deep/er/path/", "with space/", "ünï/"},
			[]string{"", "/a/", "a", "a*/", "a?/", "${aws:username}/", "a//b/", "a\x01/", strings.Repeat("a", 1024) + "/"},
		},
		{"org-id", ValidateOrgID, []string{ExampleOrgID, "o-" + strings.Repeat("a", 32)}, []string{"o-abc", "o-" + strings.Repeat("a", 33), "O-A1B2C3D4E5", "r-a1b2c3d4e5"}},
		{"external-id", ValidateExternalID, []string{ExampleExternalID, "ab", strings.Repeat("x", 1224), "a+=,.@:/-_"}, []string{"a", strings.Repeat("x", 1225), "has space", "a#b"}},
		{"role-name", ValidateRoleName, []string{ExampleRoleName, "r", strings.Repeat("r", 64), "a+=,.@-_"}, []string{"", strings.Repeat("r", 65), "a/b", "a b"}},
		{"access-point", ValidateAccessPointName, []string{ExampleAPName, "abc", strings.Repeat("a", 50)}, []string{"ab", strings.Repeat("a", 51), "-abc", "abc-", "Abc", "a_b"}},
		{
			"kms-key", ValidateKMSKey,
			[]string{ExampleKMSKey, "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"},
			[]string{"arn:aws:kms:eu-west-1:111122223333:alias/data", "alias/aws/s3", "1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:eu-west-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		},
		{"canonical-id", ValidateCanonicalID, []string{ExampleCanonical}, []string{"", strings.Repeat("a", 63), strings.ToUpper(ExampleCanonical), strings.Repeat("g", 64)}},
		{"method", ValidateMethod, []string{"bucket-policy", "iam-role", "access-point", "acl"}, []string{"", "bucket_policy", "ACL"}},
		{"access", ValidateAccess, []string{"read", "write", "read-write", "list"}, []string{"", "readwrite", "admin"}},
		{"owner-account", func(v string) error { return ValidateAccountID("owner-account", v) }, []string{ExampleAccount, "000000000001"}, []string{"", "12345678901", "1234567890123", "12345678901a"}},
	}
	for _, c := range cases {
		for _, v := range c.good {
			if err := c.fn(v); err != nil {
				t.Errorf("%s: rejected valid %q: %v", c.field, v, err)
			}
		}
		for _, v := range c.bad {
			err := c.fn(v)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Errorf("%s: accepted invalid %q", c.field, v)
				continue
			}
			if fe.Field != c.field || fe.Example == "" || c.fn(fe.Example) != nil {
				t.Errorf("%s: error for %q = %+v: must name the field and show a valid example", c.field, v, fe)
			}
		}
	}
}

func TestValidateCrossFieldRules(t *testing.T) {
	base := Spec{Method: MethodBucketPolicy, Bucket: ExampleBucket, OwnerAccount: ExampleAccount, ConsumerAccounts: []string{"222233334444"}, Access: AccessRead}
	if err := base.Validate(); err != nil {
		t.Fatalf("base spec: %v", err)
	}
	bad := map[string]func(*Spec){
		"consumer-account": func(s *Spec) { s.ConsumerAccounts = []string{ExampleAccount} },
		"prefix":           func(s *Spec) { s.Prefixes = []string{"a/", "a/"} },
		"kms-key":          func(s *Spec) { s.Region = "us-east-1"; s.KMSKey = ExampleKMSKey },
		"access-point-owner": func(s *Spec) {
			s.Method, s.Region, s.AccessPoint, s.AccessPointOwner = MethodAccessPoint, ExampleRegion, ExampleAPName, APOwnerConsumer
			s.ConsumerAccounts = []string{"222233334444", "444455556666"}
		},
	}
	for field, edit := range bad {
		s := base
		s.ConsumerAccounts = append([]string(nil), base.ConsumerAccounts...)
		edit(&s)
		fes := AsFieldErrors(s.Validate())
		if len(fes) == 0 || fes[0].Field != field {
			t.Errorf("%s: got %v", field, fes)
		}
	}
	empty := Spec{}.Validate()
	names := map[string]bool{}
	for _, fe := range AsFieldErrors(empty) {
		names[fe.Field] = true
	}
	for _, f := range []string{"method", "bucket", "owner-account", "consumer-account", "access"} {
		if !names[f] {
			t.Errorf("empty spec: no error for %s (got %v)", f, empty)
		}
	}
}

func TestWithDefaults(t *testing.T) {
	s := Spec{Method: MethodIAMRole, Bucket: ExampleBucket, ConsumerAccounts: []string{"222233334444"}}.WithDefaults()
	if s.Access != AccessRead || s.RoleName != "s3grant-"+ExampleBucket {
		t.Errorf("iam-role defaults: %+v", s)
	}
	ap := Spec{Method: MethodAccessPoint, ConsumerAccounts: []string{"222233334444"}, Access: AccessWrite}.WithDefaults()
	if ap.AccessPointOwner != APOwnerOwner || ap.AccessPoint != "s3grant-222233334444" || ap.Access != AccessWrite {
		t.Errorf("access-point defaults: %+v", ap)
	}
	if err := ValidateRoleName(Spec{Method: MethodIAMRole, Bucket: strings.Repeat("b", 63)}.WithDefaults().RoleName); err != nil {
		t.Errorf("default role name for a long bucket: %v", err)
	}
}

// A spec listing more than MaxListed prefixes, principals or accounts is
// refused by count, fast, before each item is checked (issue 12 item 7: 500k
// prefixes took minutes and ended with exit 1).
func TestValidateBoundsLists(t *testing.T) {
	many := func(n int, f func(i int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	base := Spec{Method: MethodBucketPolicy, Bucket: ExampleBucket, OwnerAccount: ExampleAccount, ConsumerAccounts: []string{"222233334444"}, Access: AccessRead}
	cases := []struct {
		field string
		edit  func(s *Spec)
	}{
		{"prefix", func(s *Spec) { s.Prefixes = many(500_000, func(i int) string { return fmt.Sprintf("p%d/", i) }) }},
		{"consumer-principal", func(s *Spec) {
			s.ConsumerPrincipals = many(MaxListed+1, func(i int) string { return fmt.Sprintf("arn:aws:iam::222233334444:role/r%d", i) })
		}},
		{"consumer-account", func(s *Spec) {
			s.ConsumerAccounts = many(MaxListed+1, func(i int) string { return fmt.Sprintf("%012d", i) })
		}},
	}
	for _, c := range cases {
		s := base
		c.edit(&s)
		fes := AsFieldErrors(s.Validate())
		if len(fes) != 1 || fes[0].Field != c.field || !strings.Contains(fes[0].Rule, "at most 1000") || fes[0].Example == "" {
			t.Fatalf("%s: %v, want one error naming %s and the bound", c.field, fes, c.field)
		}
	}
	s := base
	s.Prefixes = many(MaxListed, func(i int) string { return fmt.Sprintf("p%d/", i) })
	for _, fe := range AsFieldErrors(s.Validate()) {
		if strings.Contains(fe.Rule, "at most") {
			t.Fatalf("%d prefixes refused by count: %v", MaxListed, fe)
		}
	}
}
