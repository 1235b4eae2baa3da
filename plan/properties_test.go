package plan

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/s3grant/s3grant/policy"
	"github.com/s3grant/s3grant/templates"
)

var objectActions = map[string]bool{"s3:getobject": true, "s3:putobject": true, "s3:abortmultipartupload": true, "s3:deleteobject": true}

// fixedValueKeys make a "*" principal non-public when bound to fixed values
// (S3 User Guide, "The meaning of public").
var fixedValueKeys = map[string]bool{
	"aws:principalorgid": true, "aws:sourceip": true, "aws:sourcearn": true, "aws:sourcevpc": true,
	"aws:sourcevpce": true, "aws:sourceowner": true, "aws:sourceaccount": true, "aws:userid": true,
	"s3:dataaccesspointarn": true, "s3:dataaccesspointaccount": true,
}

// checkPlanProperties checks every generated document of a plan for the
// rules any grant must keep, whatever the spec.
func checkPlanProperties(p *Plan) []string {
	var probs []string
	bad := func(d *Document, format string, a ...any) {
		probs = append(probs, fmt.Sprintf("%s %s: %s", d.Kind, d.Target, fmt.Sprintf(format, a...)))
	}
	allowed := map[string]bool{templates.ActAssumeRole: true}
	for _, a := range append(templates.AllowedActions(p.Spec.Access), templates.KMSActions(p.Spec.Access)...) {
		allowed[strings.ToLower(a)] = true
	}
	allowed[strings.ToLower(templates.ActAssumeRole)] = true
	for _, d := range p.Documents {
		if d.ACL != nil {
			probs = append(probs, checkACL(p, d)...)
			continue
		}
		if !json.Valid(d.Canonical()) {
			bad(d, "not valid JSON")
		}
		if err := d.Policy.CheckSize(d.SizeKind()); err != nil {
			bad(d, "%v", err)
		}
		sids := map[string]bool{}
		for _, st := range d.Generated.Statement {
			if st.Sid == "" || !policy.ValidSid(st.Sid) || !strings.HasPrefix(st.Sid, p.SidPrefix) {
				bad(d, "Sid %q is not an alphanumeric %s... Sid", st.Sid, p.SidPrefix)
			}
			if sids[st.Sid] {
				bad(d, "Sid %s is used twice", st.Sid)
			}
			sids[st.Sid] = true
			probs = append(probs, checkStatement(p, d, st, allowed)...)
		}
	}
	return probs
}

func checkStatement(p *Plan, d *Document, st policy.Statement, allowed map[string]bool) []string {
	var probs []string
	bad := func(format string, a ...any) {
		probs = append(probs, fmt.Sprintf("%s %s %s: %s", d.Kind, d.Target, st.Sid, fmt.Sprintf(format, a...)))
	}
	if !st.NotAction.Empty() || !st.NotResource.Empty() || st.NotPrincipal != nil {
		bad("uses a Not element")
	}
	if d.Kind != policy.KindTrustPolicy && st.Resource.Empty() {
		bad("has no Resource")
	}
	for _, a := range st.Action.Values {
		la := strings.ToLower(a)
		if st.Effect == policy.Allow && (strings.ContainsAny(a, "*?") || !allowed[la]) {
			bad("allows %s, beyond access level %s", a, p.Spec.Access)
		}
		for _, r := range st.Resource.Values {
			isObject := strings.Contains(r, "/object/") || (strings.HasPrefix(r, "arn:aws:s3:::") && strings.Contains(r, "/"))
			switch {
			case la == "s3:listbucket" || la == "s3:getbucketlocation":
				if isObject || r == "*" {
					bad("%s on %s, which is not a bucket or access point ARN", a, r)
				}
			case objectActions[la]:
				if !isObject {
					bad("%s on %s, which is not an object ARN", a, r)
				}
			}
		}
	}
	if st.Effect == policy.Allow && unboundedStar(st) {
		bad("grants to \"*\" without a fixed-value condition")
	}
	return probs
}

// unboundedStar reports a "*" principal not bound by a fixed value of a key
// that makes the statement non-public.
func unboundedStar(st policy.Statement) bool {
	star := st.Principal != nil && (st.Principal.Wildcard || contains(st.Principal.Values("AWS"), "*"))
	if !star {
		return false
	}
	for op, kv := range st.Condition {
		if op != "StringEquals" && op != "ArnEquals" {
			continue
		}
		for k, v := range kv {
			if fixedValueKeys[strings.ToLower(k)] && !strings.ContainsAny(strings.Join(v.Strings(), ""), "*?") {
				return false
			}
		}
	}
	return true
}

func checkACL(p *Plan, d *Document) []string {
	var probs []string
	for _, g := range d.ACLGrants {
		if g.Type != policy.GranteeCanonicalUser || !contains(p.Spec.CanonicalIDs, g.ID) {
			probs = append(probs, fmt.Sprintf("acl grant to %s %s%s, not a given canonical ID", g.Type, g.ID, g.URI))
		}
		if g.Permission != policy.PermRead && g.Permission != policy.PermWrite {
			probs = append(probs, "acl grants "+g.Permission)
		}
		if g.Permission == policy.PermWrite && !p.Spec.Access.Writes() || g.Permission == policy.PermRead && !p.Spec.Access.Lists() {
			probs = append(probs, "acl grants "+g.Permission+" beyond access "+string(p.Spec.Access))
		}
	}
	return probs
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestGeneratedDocumentProperties(t *testing.T) {
	for _, ex := range Examples() {
		p, err := New(ex.Spec, nil)
		if err != nil {
			t.Fatalf("%s: %v", ex.Name, err)
		}
		for _, prob := range checkPlanProperties(p) {
			t.Errorf("%s: %s", ex.Name, prob)
		}
	}
}

// The property checker itself must catch what it is for.
func TestPropertyCheckerCatchesViolations(t *testing.T) {
	p, err := New(Examples()[0].Spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := p.Documents[0]
	mutations := map[string]func(*policy.Statement){
		"wildcard action": func(s *policy.Statement) { s.Action = policy.One("s3:*") },
		"object action on bucket": func(s *policy.Statement) {
			s.Action = policy.One("s3:GetObject")
			s.Resource = policy.One("arn:aws:s3:::analytics-exports")
		},
		"list on objects": func(s *policy.Statement) {
			s.Action = policy.One("s3:ListBucket")
			s.Resource = policy.One("arn:aws:s3:::analytics-exports/*")
		},
		"star principal":       func(s *policy.Statement) { s.Principal = &policy.Principal{Wildcard: true}; s.Condition = nil },
		"bad sid":              func(s *policy.Statement) { s.Sid = "S3Grant-x" },
		"delete beyond access": func(s *policy.Statement) { s.Action = policy.One("s3:DeleteObject") },
	}
	for name, mutate := range mutations {
		q := *p
		dd := *d
		dd.Generated = d.Generated.Clone()
		mutate(&dd.Generated.Statement[0])
		q.Documents = []*Document{&dd}
		if len(checkPlanProperties(&q)) == 0 {
			t.Errorf("%s: not caught", name)
		}
	}
}
