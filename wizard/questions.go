package wizard

import (
	"errors"
	"strings"

	"github.com/s3grant/s3grant/spec"
)

// Kind is how a question is answered.
type Kind int

// The kinds of question.
const (
	KindText    Kind = iota // free text, checked by the spec's validation
	KindConfirm             // yes or no
	KindChoice              // one of Options
)

// Source is where a text question's suggestions come from when connected.
type Source int

// The suggestion sources.
const (
	NoSuggestions Source = iota
	SuggestBuckets
	SuggestRoles
	SuggestAccessPoints
)

// The keys of the yes/no questions that are not spec fields: each opens
// the question gated by it.
const (
	KeyUseExternalID = "use-external-id"
	KeyUseKMS        = "use-kms"
	KeyRequireTLS    = "require-tls"
	// KeyACLConsent is the typed consent to turn ACLs back on, as the
	// CLI's --allow-acl-downgrade.
	KeyACLConsent = "allow-acl-downgrade"
	// ACLConsentWord is what the user types to consent.
	ACLConsentWord = "enable-acls"
)

// Option is one answer of a choice: its label and the value kept.
type Option struct {
	Label string
	Value string
}

// Question is one row of the question table. The form and the accessible
// flow both ask Questions(a) in order; adding a question is one row.
type Question struct {
	Key    string // the spec flag ("bucket") or, for a yes/no, its Key* name
	Kind   Kind
	Group  string // the form page it is on
	Title  string // the form's title
	Prompt string // the accessible flow's line; it has no room for Help
	Help   func(*Answers) string
	// Example is a valid value to copy the shape of (a placeholder); an
	// empty answer does not mean it.
	Example func(*Answers) string
	// Default is what an empty answer means (the role name s3grant picks);
	// the form shows it as the placeholder.
	Default func(*Answers) string
	// Asked says whether the question applies to the answers so far (the
	// method, the consumers); nil: always.
	Asked func(*Answers) bool
	// Gate is the yes/no that opens the question: the form keeps it on a
	// hidden page after Group, the accessible flow asks it after a yes.
	Gate string
	// Follows names the answers the placeholder is computed from, so the
	// form recomputes it when they change.
	Follows []string
	Suggest Source
	// Finds names the finding of connected mode (a spec flag) the question
	// offers: its value is the default, and its Note says where it was
	// read or why nothing was.
	Finds   string
	Options func(*Answers) []Option
	// Required is the field's own check of an empty answer, for a gated
	// question where "yes" and nothing typed is a mistake.
	Required func(string) error
	// Rule is the check of a typed answer that is no spec field (the
	// consent word).
	Rule func(string) error
}

// Questions is the table after the method, in the order both flows ask it.
func Questions() []Question { return table }

// AccountQuestions are asked before the method, when not connected.
func AccountQuestions() []Question { return accountTable }

// Shown reports whether q is asked, given the answers so far.
func (q Question) Shown(a *Answers) bool { return q.Asked == nil || q.Asked(a) }

// Placeholder is what an empty field shows: a real default, marked as one
// ("default: NAME", and enter keeps it), else an example marked as one
// ("e.g. NAME", and enter does not mean it), so the two never look alike.
func (q Question) Placeholder(a *Answers) string {
	if d := q.DefaultValue(a); d != "" {
		return "default: " + d
	}
	if q.Example != nil {
		if e := q.Example(a); e != "" {
			return "e.g. " + e
		}
	}
	return ""
}

// DefaultValue is what an empty answer means: the table's default, or
// what connected mode found; "" when an empty answer means nothing.
func (q Question) DefaultValue(a *Answers) string {
	if q.Default != nil {
		if d := q.Default(a); d != "" {
			return d
		}
	}
	if q.Kind == KindText && q.Finds != "" {
		return a.Finding(q.Finds).Value
	}
	return ""
}

// Validate is the check of an answer to q: the spec's validation of the
// field among the other answers, and Required for an empty gated answer.
func (q Question) Validate(a *Answers) func(string) error {
	check := a.Check(q.Key)
	if q.Rule != nil {
		check = q.Rule
	}
	check = withPastedFix(q.Key, check)
	if q.Required == nil {
		return check
	}
	return func(v string) error {
		if strings.TrimSpace(v) == "" && q.DefaultValue(a) == "" {
			return q.Required(v)
		}
		return check(v)
	}
}

func is(m spec.Method) func(*Answers) bool { return func(a *Answers) bool { return a.Method == m } }

func text(s string) func(*Answers) string { return func(*Answers) string { return s } }

// AccessOptions are the levels the method allows, with what each lets the
// consumer do.
func AccessOptions(m spec.Method) []Option {
	labels := map[spec.Access]string{
		spec.AccessRead: "read: list and get objects", spec.AccessWrite: "write: put objects",
		spec.AccessReadWrite: "read-write: list, get, put and delete", spec.AccessList: "list: list keys only",
	}
	var out []Option
	for _, l := range spec.AccessLevelsFor(m) {
		out = append(out, Option{Label: labels[l], Value: string(l)})
	}
	return out
}

// Form pages.
const (
	GroupAccounts   = "Who is involved"
	GroupBucket     = "The bucket"
	GroupConsumer   = "What the consumer gets"
	GroupRole       = "The role"
	GroupAP         = "The access point"
	GroupGrantees   = "The grantees"
	GroupGuardrails = "Guardrails"
)

// InFieldWords rewrites a message written for the command line (it names
// flags: "not a --consumer-account") for a wizard user, who has fields:
// each flag of a question becomes its words and the field's title.
func InFieldWords(msg string) string {
	for _, q := range append(AccountQuestions(), Questions()...) {
		flag := "--" + q.Key
		if !strings.Contains(msg, flag) || q.Kind == KindConfirm {
			continue
		}
		words := strings.ReplaceAll(q.Key, "-", " ")
		msg = replaceFlag(msg, flag, words+` (the "`+strings.TrimSuffix(q.Title, " (optional)")+`" field)`)
	}
	return strings.ReplaceAll(msg, "--method ", "the method ")
}

// replaceFlag replaces flag where it is a whole word (--prefix, not the
// start of --prefixes).
func replaceFlag(msg, flag, with string) string {
	var b strings.Builder
	for {
		i := strings.Index(msg, flag)
		if i < 0 {
			return b.String() + msg
		}
		end := i + len(flag)
		if end < len(msg) && (msg[end] == '-' || msg[end] >= 'a' && msg[end] <= 'z') {
			b.WriteString(msg[:end])
		} else {
			b.WriteString(msg[:i] + with)
		}
		msg = msg[end:]
	}
}

// withPastedFix replaces the error for a pasted ARN or URI with what to
// type instead.
func withPastedFix(field string, check func(string) error) func(string) error {
	return func(v string) error {
		err := check(v)
		if fix := PastedFix(field, v); err != nil && fix != "" {
			return errors.New(fix)
		}
		return err
	}
}
