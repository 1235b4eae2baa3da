package export

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
)

// TestStackSetQuotas: the consumer template keeps CloudFormation's quotas
// for many grants: its description stays within 1,024 bytes (the grant IDs
// move to the Metadata alone), and a template over the 51,200 bytes a
// request body may hold is deployed from S3 (--template-url), which the
// header's commands say; a small one keeps --template-body.
func TestStackSetQuotas(t *testing.T) {
	small := consumerTemplate(t, exportManyOK(t, threeGrants(t), FormatStackSet))
	if !strings.Contains(small, templateBodyFlag) || strings.Contains(small, "--template-url") {
		t.Errorf("a small template is not passed in the request:\n%s", head(small))
	}

	var plans []*plan.Plan
	for i := range 110 {
		s := plan.BaseSpec(spec.MethodBucketPolicy, spec.AccessRead)
		s.Bucket = fmt.Sprintf("team-bucket-%03d", i)
		acct := fmt.Sprintf("3%011d", i)
		s.ConsumerAccounts, s.ConsumerPrincipals = []string{acct}, []string{"arn:aws:iam::" + acct + ":role/reader"}
		p, err := plan.New(s, knownState(t, plan.Example{Spec: s}))
		if err != nil {
			t.Fatal(err)
		}
		plans = append(plans, roundTrip(t, p))
	}
	big := consumerTemplate(t, exportManyOK(t, plans, FormatStackSet))
	var tpl struct {
		Description string `yaml:"Description"`
	}
	if err := yaml.Unmarshal([]byte(big), &tpl); err != nil {
		t.Fatal(err)
	}
	if n := len(tpl.Description); n > maxDescription || !strings.Contains(tpl.Description, "110 grants") {
		t.Errorf("description of %d bytes (at most %d, naming the count): %q", n, maxDescription, tpl.Description)
	}
	if len(big) <= maxTemplateBody {
		t.Fatalf("the 110-grant template is %d bytes: the test needs one over %d", len(big), maxTemplateBody)
	}
	h := head(big)
	fromS3 := strings.Contains(h, "--template-url https://BUCKET.s3.amazonaws.com/"+StackSetConsumerFile) &&
		strings.Contains(h, "aws s3 cp "+StackSetConsumerFile)
	if strings.Contains(h, templateBodyFlag) || !fromS3 {
		t.Errorf("a template over the request quota is not deployed from S3:\n%s", h)
	}
}

func consumerTemplate(t *testing.T, b *Bundle) string {
	t.Helper()
	for _, f := range b.Files {
		if f.Path == StackSetConsumerFile {
			return string(f.Data)
		}
	}
	t.Fatalf("no %s in the bundle", StackSetConsumerFile)
	return ""
}

// head is the template's leading comment lines.
func head(tpl string) string {
	var lines []string
	for _, l := range strings.Split(tpl, "\n") {
		if !strings.HasPrefix(l, "#") {
			break
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "\n")
}

// TestStackSetResourceQuota: a valid grants file whose consumer template
// would declare more than CloudFormation's 500 resources (50 grants, each
// to 10 accounts whose roles have different names: 10 inline policies per
// grant, plus the placeholder) is refused, naming the count, the quota
// and what to do; 49 such grants (491 resources) export.
func TestStackSetResourceQuota(t *testing.T) {
	build := func(n int) []*plan.Plan {
		var specs []spec.Spec
		for i := range n {
			s := plan.BaseSpec(spec.MethodBucketPolicy, spec.AccessRead)
			s.Bucket = fmt.Sprintf("team-bucket-%03d", i)
			s.ConsumerAccounts, s.ConsumerPrincipals = nil, nil
			for a := range 10 {
				acct := fmt.Sprintf("3%011d", a)
				s.ConsumerAccounts = append(s.ConsumerAccounts, acct)
				role := fmt.Sprintf("arn:aws:iam::%s:role/reader-%d", acct, a)
				s.ConsumerPrincipals = append(s.ConsumerPrincipals, role)
			}
			specs = append(specs, s)
		}
		set, err := plan.NewSet(specs, nil)
		if err != nil {
			t.Fatal(err)
		}
		return set.Grants
	}
	exportManyOK(t, build(49), FormatStackSet)
	_, err := Many(build(50), FormatStackSet, Options{Version: "v1.2.3"})
	if err == nil {
		t.Fatal("a consumer template of 501 resources exported")
	}
	wants := []string{StackSetConsumerFile, "501 resources", "50 grants", "over the 500", "split the grants file"}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal does not say %q: %v", want, err)
		}
	}
}

// TestStackSetQuotaBoundaries: checkQuotas at each quota: as many as the
// quota is accepted, one more refused. The parameter quota cannot be
// reached by a valid grants file (one parameter per grant, at most
// plan.MaxGrants grants): this test fails if MaxGrants ever grows past it.
func TestStackSetQuotaBoundaries(t *testing.T) {
	if plan.MaxGrants > maxParameters {
		t.Errorf("plan.MaxGrants is %d: a grants file could declare more than %d parameters",
			plan.MaxGrants, maxParameters)
	}
	fill := func(n int) omap {
		var m omap
		for i := range n {
			m = m.set(fmt.Sprintf("X%d", i), omap{})
		}
		return m
	}
	for _, q := range []struct {
		what  string
		quota int
		set   func(c *cfn, m omap)
	}{
		{"resources", maxResources, func(c *cfn, m omap) { c.resources = m }},
		{"parameters", maxParameters, func(c *cfn, m omap) { c.params = m }},
		{"outputs", maxOutputs, func(c *cfn, m omap) { c.outputs = m }},
	} {
		c := &cfn{}
		q.set(c, fill(q.quota))
		if err := c.checkQuotas(StackSetConsumerFile, 1); err != nil {
			t.Errorf("%d %s (the quota) refused: %v", q.quota, q.what, err)
		}
		q.set(c, fill(q.quota+1))
		err := c.checkQuotas(StackSetConsumerFile, 1)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d %s", q.quota+1, q.what)) {
			t.Errorf("%d %s (one over the quota): %v", q.quota+1, q.what, err)
		}
	}
}
