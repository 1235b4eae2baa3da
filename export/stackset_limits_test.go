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
