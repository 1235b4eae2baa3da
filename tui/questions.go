package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/s3grant/s3grant/plan"
	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// formErrorRoom is the lines kept free under a form for huh's error
// message (a blank line and a wrapped message).
const formErrorRoom = 3

// questionsScreen asks the chosen method's questions with huh. The form is
// rebuilt from the answers whenever the user comes back to it.
type questionsScreen struct {
	c        *common
	ans      *answers
	form     *huh.Form
	problems []*spec.FieldError // rules between answers found when planning
	live     error              // the focused answer as typed so far breaks this rule
	advice   string             // another method suits the bucket's settings better
	reader   StateReader        // reads the bucket's settings when connected
	factsFor string             // the bucket they were asked for
	done     bool
}

func newQuestionsScreen(c *common, a *answers, sugg Suggestions, reader StateReader) *questionsScreen {
	q := &questionsScreen{c: c, ans: a, reader: reader}
	q.form = huh.NewForm(questionGroups(a, sugg)...).WithTheme(c.styles.HuhTheme()).WithShowHelp(false)
	q.SetSize()
	return q
}

func (q *questionsScreen) Init() tea.Cmd { return q.form.Init() }

func (q *questionsScreen) Update(msg tea.Msg) tea.Cmd {
	if q.done {
		return nil
	}
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, q.c.keys.Back) && !q.fieldUses(k) {
		return send(backMsg{})
	}
	f, cmd := q.form.Update(msg)
	q.form = f.(*huh.Form)
	if q.form.State == huh.StateCompleted {
		q.done = true
		return send(questionsDoneMsg{})
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		q.live = q.checkAsTyped()
	}
	return tea.Batch(cmd, q.readFacts())
}

// readFacts asks for the bucket's settings once the bucket answer is in
// (the focus has left it and it is valid).
func (q *questionsScreen) readFacts() tea.Cmd {
	b := q.ans.bucket
	in, onBucket := q.form.GetFocusedField().(*huh.Input)
	if q.reader == nil || b == q.factsFor || (onBucket && in.GetKey() == "bucket") || spec.ValidateBucket(b) != nil {
		return nil
	}
	q.factsFor = b
	return readFacts(q.c.ctx, q.reader, q.ans.spec())
}

// advise says when the bucket's settings call for another method than the
// chosen one (the method screen recommends the same way).
func (q *questionsScreen) advise(f *plan.Facts) {
	q.advice = ""
	if f == nil || !f.Read {
		return
	}
	if rec, why := wizard.RecommendMethod(q.ans.spec(), f); rec != q.ans.method && rec == spec.MethodIAMRole {
		q.advice = "Consider " + string(rec) + ": " + why + " (esc to change the method)"
	}
}

// checkAsTyped runs the focused field's check on what is typed so far, so
// a rule shows while typing rather than only on enter.
func (q *questionsScreen) checkAsTyped() error {
	in, ok := q.form.GetFocusedField().(*huh.Input)
	if !ok || q.ans.text(in.GetKey()) == nil {
		return nil
	}
	v, _ := in.GetValue().(string)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	return q.ans.check(in.GetKey())(v)
}

// fieldUses reports whether the focused field has an enabled binding for
// the key (a select's filter uses esc), so the form keeps it.
func (q *questionsScreen) fieldUses(k tea.KeyMsg) bool {
	for _, b := range q.form.KeyBinds() {
		if b.Enabled() && key.Matches(k, b) {
			return true
		}
	}
	return false
}

// SetSize fits the form under the header, with room for huh's error lines.
func (q *questionsScreen) SetSize() tea.Cmd {
	h := q.c.bodyHeight() - lipgloss.Height(q.header()) - formErrorRoom
	q.form = q.form.WithWidth(min(q.c.bodyWidth(), 100)).WithHeight(max(h, 6))
	return nil
}

func (q *questionsScreen) Keys() []key.Binding {
	return append(q.form.KeyBinds(), withHelp(q.c.keys.Back, "methods"))
}

func (q *questionsScreen) View() string { return q.header() + q.form.View() }

func (q *questionsScreen) header() string {
	st := q.c.styles
	info := wizard.MethodInfos()[q.ans.method]
	out := st.Title.Render(info.Title) + st.Subtle.Render(" · "+string(q.ans.method)) + "\n"
	for _, p := range q.problems {
		out += st.Bad.Width(q.c.bodyWidth()).Render("✗ "+p.Field+": "+p.Rule+exampleSuffix(p)) + "\n"
	}
	// One line, always there, so the form below never jumps.
	live := q.advice
	if q.live != nil {
		live = "as typed: " + q.live.Error()
	}
	return out + ansi.Truncate(st.Warn.Render(live), q.c.bodyWidth(), "…") + "\n"
}

// questionGroups builds the questions for the chosen method. Fields depend
// on earlier answers: the role name and key ARN placeholders follow the
// bucket and region, hidden groups open when a yes/no says so.
func questionGroups(a *answers, sugg Suggestions) []*huh.Group {
	m := a.method
	bucket := huh.NewInput().Title("Bucket").Description("The bucket in the owner account.").
		Placeholder(spec.ExampleBucket).Value(&a.bucket).Suggestions(sugg.Buckets).
		Validate(a.check("bucket")).Key("bucket")
	regionDesc := "Optional: the bucket's region, used for ARNs and the example commands."
	if m == spec.MethodAccessPoint {
		regionDesc = "Required: an access point ARN includes the region."
	}
	region := huh.NewInput().Title("Region").Description(regionDesc).Placeholder(spec.ExampleRegion).Value(&a.region).
		Validate(a.check("region")).Key("region")
	groups := []*huh.Group{huh.NewGroup(bucket, region).Title("The bucket")}

	access := huh.NewSelect[spec.Access]().Title("Access").Options(accessOptions(m)...).Value(&a.access).
		Validate(func(v spec.Access) error {
			return a.check("access")(string(v))
		})
	who := []huh.Field{access}
	if m != spec.MethodACL {
		who = append(who, huh.NewInput().Title("Prefixes").
			Description("Comma-separated key prefixes ending in /; empty for the whole bucket.").
			Placeholder("reports/, exports/").Value(&a.prefixes).
			Validate(a.check("prefix")).Key("prefix"))
	}
	who = append(who, huh.NewInput().Title("Consumer principals").
		Description("Comma-separated role or user ARNs in the consumer account(s); empty grants the whole account.").
		Placeholder(spec.ExamplePrincipal).Value(&a.principals).Suggestions(sugg.Roles).
		Validate(a.check("consumer-principal")).Key("consumer-principal"))
	groups = append(groups, huh.NewGroup(who...).Title("What the consumer gets"))
	groups = append(groups, methodGroups(a, sugg)...)
	return append(groups, guardrailGroups(a)...)
}

func accessOptions(m spec.Method) []huh.Option[spec.Access] {
	labels := map[spec.Access]string{
		spec.AccessRead: "read: list and get objects", spec.AccessWrite: "write: put objects",
		spec.AccessReadWrite: "read-write: list, get, put and delete", spec.AccessList: "list: list keys only",
	}
	levels := spec.AccessLevels
	if m == spec.MethodACL {
		levels = []spec.Access{spec.AccessList, spec.AccessWrite}
	}
	out := make([]huh.Option[spec.Access], len(levels))
	for i, l := range levels {
		out[i] = huh.NewOption(labels[l], l)
	}
	return out
}

func methodGroups(a *answers, sugg Suggestions) []*huh.Group {
	switch a.method {
	case spec.MethodIAMRole:
		return []*huh.Group{
			huh.NewGroup(
				huh.NewInput().Title("Role name").Description("The role s3grant creates in the owner account.").
					PlaceholderFunc(func() string { return spec.Spec{Method: spec.MethodIAMRole, Bucket: a.bucket}.WithDefaults().RoleName }, &a.bucket).
					Value(&a.roleName).Validate(a.check("role-name")).Key("role-name"),
				huh.NewConfirm().Title("Is the consumer a third party acting for several customers?").
					Description("Then the trust policy requires an ExternalId (it prevents the confused deputy).").
					Value(&a.useExternalID),
			).Title("The role"),
			huh.NewGroup(
				huh.NewInput().Title("ExternalId").Description("The value the consumer passes to sts:AssumeRole; it is not a secret.").
					Placeholder(spec.ExampleExternalID).Value(&a.externalID).
					Validate(func(v string) error {
						if strings.TrimSpace(v) == "" {
							return spec.ValidateExternalID(v)
						}
						return a.check("external-id")(v)
					}).Key("external-id"),
			).WithHideFunc(func() bool { return !a.useExternalID }),
		}
	case spec.MethodAccessPoint:
		fields := []huh.Field{huh.NewInput().Title("Access point name").
			PlaceholderFunc(func() string {
				return spec.Spec{Method: spec.MethodAccessPoint, ConsumerAccounts: split(a.consumers)}.WithDefaults().AccessPoint
			}, &a.consumers).
			Value(&a.apName).Suggestions(sugg.AccessPoints).
			Validate(a.check("access-point")).Key("access-point")}
		if len(split(a.consumers)) == 1 {
			fields = append(fields, huh.NewSelect[string]().Title("Which account owns the access point?").Options(
				huh.NewOption("owner: in the bucket's account", spec.APOwnerOwner),
				huh.NewOption("consumer: in the consumer's account, on the owner's bucket (cross-account)", spec.APOwnerConsumer),
			).Value(&a.apOwner))
		} else {
			a.apOwner = spec.APOwnerOwner
		}
		return []*huh.Group{huh.NewGroup(fields...).Title("The access point")}
	case spec.MethodACL:
		return []*huh.Group{huh.NewGroup(
			huh.NewInput().Title("Canonical user IDs").
				Description("Comma-separated; the consumer finds its ID with: aws s3api list-buckets --query Owner.ID").
				Placeholder(spec.ExampleCanonical[:20] + "…").Value(&a.canonical).
				Validate(a.check("canonical-id")).Key("canonical-id"),
		).Title("The grantees")}
	}
	return nil
}

func guardrailGroups(a *answers) []*huh.Group {
	return []*huh.Group{
		huh.NewGroup(
			huh.NewConfirm().Title("Are the objects encrypted with a customer managed KMS key?").
				Description("Then both sides need KMS permissions on that key.").Value(&a.useKMS),
			huh.NewInput().Title("Organization ID (optional)").Description("Also require the consumer to be in this AWS Organization.").
				Placeholder(spec.ExampleOrgID).Value(&a.orgID).
				Validate(a.check("org-id")).Key("org-id"),
			huh.NewConfirm().Title("Deny plain-HTTP requests?").Description("Recommended: adds a statement that denies requests without TLS.").
				Value(&a.requireTLS),
		).Title("Guardrails"),
		huh.NewGroup(
			huh.NewInput().Title("KMS key ARN").Description("The bucket's key, in the owner account and the bucket's region.").
				PlaceholderFunc(func() string { return kmsPlaceholder(a) }, []any{&a.region, &a.ownerAcct}).
				Value(&a.kmsKey).
				Validate(func(v string) error {
					if strings.TrimSpace(v) == "" {
						return spec.ValidateKMSKey(v)
					}
					return a.check("kms-key")(v)
				}).Key("kms-key"),
		).WithHideFunc(func() bool { return !a.useKMS }),
	}
}

func kmsPlaceholder(a *answers) string {
	region, owner := a.region, a.ownerAcct
	if region == "" {
		region = spec.ExampleRegion
	}
	if owner == "" {
		owner = spec.ExampleAccount
	}
	return "arn:aws:kms:" + region + ":" + owner + ":key/…"
}
