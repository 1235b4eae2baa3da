package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/s3grant/s3grant/wizard"
)

// questionGroups builds the form from the question table: one page per
// group, and the questions a yes/no opens on a hidden page after the page
// of that yes/no.
func questionGroups(a *wizard.Answers, sugg Suggestions, noted map[string]huh.Field) []*huh.Group {
	field := func(q wizard.Question) huh.Field {
		f := questionField(a, q, sugg)
		if q.Finds != "" {
			noted[q.Key] = f
		}
		return f
	}
	gated := map[string][]huh.Field{}
	for _, q := range wizard.Questions() {
		if q.Gate != "" && q.Shown(a) {
			gated[q.Gate] = append(gated[q.Gate], field(q))
		}
	}
	type page struct {
		title  string
		fields []huh.Field
		hidden []*huh.Group
	}
	var pages []*page
	for _, q := range wizard.Questions() {
		if q.Gate != "" || !q.Shown(a) {
			continue
		}
		if len(pages) == 0 || pages[len(pages)-1].title != q.Group {
			pages = append(pages, &page{title: q.Group})
		}
		p := pages[len(pages)-1]
		p.fields = append(p.fields, field(q))
		if fields := gated[q.Key]; fields != nil {
			open := a.Bool(q.Key)
			p.hidden = append(p.hidden, huh.NewGroup(fields...).WithHideFunc(func() bool { return !*open }))
		}
	}
	var out []*huh.Group
	for _, p := range pages {
		out = append(out, huh.NewGroup(p.fields...).Title(p.title))
		out = append(out, p.hidden...)
	}
	return out
}

// questionField is the huh field for one row of the table.
func questionField(a *wizard.Answers, q wizard.Question, sugg Suggestions) huh.Field {
	switch q.Kind {
	case wizard.KindConfirm:
		return huh.NewConfirm().Title(q.Title).Value(a.Bool(q.Key)).Description(description(a, q))
	case wizard.KindChoice:
		var opts []huh.Option[string]
		for _, o := range q.Options(a) {
			opts = append(opts, huh.NewOption(o.Label, o.Value))
		}
		return huh.NewSelect[string]().Title(q.Title).Options(opts...).Value(a.Text(q.Key)).
			Validate(named(a, q)).Key(q.Key)
	default: // no special case
	}
	in := huh.NewInput().Title(q.Title).Value(a.Text(q.Key)).Validate(named(a, q)).Key(q.Key).
		Description(description(a, q)).Placeholder(q.Placeholder(a))
	if len(q.Follows) > 0 {
		bindings := []any{&a.Found, &a.Bucket} // an example or default may follow a finding
		for _, k := range q.Follows {
			bindings = append(bindings, a.Text(k))
		}
		in = in.PlaceholderFunc(func() string { return q.Placeholder(a) }, bindings)
	}
	if list := suggestions(q.Suggest, sugg); list != nil || q.Suggest != wizard.NoSuggestions {
		in = in.Suggestions(list)
	}
	return in
}

// description is the question's help and, when connected, the line that
// says where its default was read or why none was.
func description(a *wizard.Answers, q wizard.Question) string {
	var lines []string
	if q.Help != nil {
		lines = append(lines, q.Help(a))
	}
	if note := q.Note(a); note != "" {
		lines = append(lines, note)
	}
	return strings.Join(lines, "\n")
}

// named prefixes a field's error with the field's title: huh draws errors
// under the page's fields, so the message says which one it is about.
func named(a *wizard.Answers, q wizard.Question) func(string) error {
	check := q.Validate(a)
	return func(v string) error {
		if err := check(v); err != nil {
			return fmt.Errorf("%s: %s", strings.TrimSuffix(q.Title, " (optional)"), wizard.InFieldWords(err.Error()))
		}
		return nil
	}
}

func suggestions(src wizard.Source, sugg Suggestions) []string {
	switch src {
	case wizard.SuggestBuckets:
		return sugg.Buckets
	case wizard.SuggestRoles:
		return sugg.Roles
	case wizard.SuggestAccessPoints:
		return sugg.AccessPoints
	default: // no special case
	}
	return nil
}
