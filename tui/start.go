package tui

import (
	"errors"
	"fmt"
	"slices"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"

	"github.com/s3grant/s3grant/wizard"
)

// startScreen asks who is involved: two AWS profiles to connect with, or
// two typed account IDs for an offline dry run.
type startScreen struct {
	c        *common
	ans      *wizard.Answers
	form     *huh.Form
	groups   []*huh.Group
	loading  bool // profiles are being read
	profiles []string
	noApply  string // why this run cannot apply, shown on the screen
	busy     bool   // connecting
	err      error
	spin     spinner.Model
	done     bool
}

func newStartScreen(c *common, a *wizard.Answers) *startScreen {
	s := &startScreen{c: c, ans: a, spin: spinner.New(spinner.WithSpinner(spinner.Dot))}
	s.spin.Style = c.styles.Accent
	s.loading = c.opts.Profiles != nil && c.opts.Connector != nil
	if !s.loading {
		s.setProfiles(nil, nil)
	}
	return s
}

func (s *startScreen) Init() tea.Cmd {
	if s.loading {
		return tea.Batch(loadProfiles(s.c.opts.Profiles), s.spin.Tick)
	}
	return s.form.Init()
}

// setProfiles builds the form once the profiles are known.
func (s *startScreen) setProfiles(profiles []string, err error) {
	s.loading, s.profiles = false, profiles
	switch {
	case s.c.opts.Connector == nil:
		s.noApply = s.c.opts.NoApplyReason
		if s.noApply == "" {
			s.noApply = "this build cannot connect to AWS"
		}
	case err != nil:
		s.noApply = fmt.Sprintf("the AWS configuration could not be read (%v)", err)
	case len(profiles) == 0:
		s.noApply = "no AWS profiles were found in your AWS configuration"
	}
	if s.noApply != "" {
		s.ans.Connect = false
	} else if s.ans.OwnerAcct == "" {
		// Profiles exist: connecting is the path that can apply.
		s.ans.Connect = true
	}
	s.form = s.buildForm()
}

func (s *startScreen) buildForm() *huh.Form {
	a := s.ans
	var groups []*huh.Group
	if s.noApply == "" {
		groups = append(groups, huh.NewGroup(
			huh.NewConfirm().Title("How do you want to run?").
				Description("Connect with AWS profiles to preview against what exists, then apply; "+
					"or run an offline dry run with typed account IDs (nothing is read or written).").
				Affirmative("Connect with profiles").Negative("Offline dry run").Value(&a.Connect),
		), s.profileGroup())
	}
	// The account IDs, asked when not connected (the profiles say them).
	qs := wizard.AccountQuestions()
	var accounts []huh.Field
	for _, q := range qs {
		accounts = append(accounts, questionField(a, q, Suggestions{}))
	}
	groups = append(groups, huh.NewGroup(accounts...).WithHideFunc(func() bool {
		return !slices.ContainsFunc(qs, func(q wizard.Question) bool { return q.Shown(a) })
	}))
	s.groups = groups
	return huh.NewForm(groups...).WithTheme(s.c.styles.HuhTheme()).WithShowHelp(false).
		WithWidth(min(s.c.bodyWidth(), 100))
}

func (s *startScreen) profileGroup() *huh.Group {
	a := s.ans
	opts := make([]huh.Option[string], len(s.profiles))
	for i, p := range s.profiles {
		label := p
		if about := s.c.opts.ProfileAbout[p]; about != "" {
			label += " · " + about // the sandbox says what each of its profiles is
		}
		opts[i] = huh.NewOption(label, p)
	}
	return huh.NewGroup(
		huh.NewSelect[string]().Title("Owner profile").Description("The profile of the account that owns the bucket.").
			Options(opts...).Value(&a.OwnerProfile),
		huh.NewSelect[string]().Title("Consumer profile").Description("The profile of the account that needs access.").
			Options(opts...).Value(&a.ConsumerProfile).
			Validate(func(v string) error {
				if v == a.OwnerProfile {
					return errors.New("pick another profile than the owner's: " +
						"s3grant sets up access from another account")
				}
				return nil
			}),
	).WithHideFunc(func() bool { return !a.Connect })
}

func (s *startScreen) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case profilesMsg:
		if !s.loading {
			return nil
		}
		s.setProfiles(msg.profiles, msg.err)
		return tea.Batch(s.form.Init(), s.SetSize())
	case spinner.TickMsg:
		if s.loading || s.busy {
			var cmd tea.Cmd
			s.spin, cmd = s.spin.Update(msg)
			return cmd
		}
		return nil
	}
	if s.form == nil || s.busy || s.done {
		return nil
	}
	if _, ok := msg.(tea.KeyMsg); ok && s.err != nil {
		s.err = nil
		s.SetSize()
	}
	f, cmd := s.form.Update(msg)
	s.form = f.(*huh.Form)
	if s.form.State == huh.StateCompleted {
		return s.submit()
	}
	if _, ok := msg.(tea.KeyMsg); ok {
		s.SetSize()
	}
	return cmd
}

func (s *startScreen) submit() tea.Cmd {
	if !s.ans.Connect {
		s.done = true
		return send(startDoneMsg{})
	}
	s.busy = true
	return tea.Batch(connect(s.c.ctx, s.c.opts.Connector, s.ans.OwnerProfile, s.ans.ConsumerProfile), s.spin.Tick)
}

// connectFailed shows why the profiles did not work and asks again.
func (s *startScreen) connectFailed(err error) tea.Cmd {
	s.busy, s.err = false, err
	s.form = s.buildForm()
	return tea.Batch(s.form.Init(), s.SetSize())
}

// SetSize fits the form under the screen's header, leaving room for the
// error lines huh adds under a field that fails its check.
func (s *startScreen) SetSize() tea.Cmd {
	if s.form == nil {
		return nil
	}
	h := s.c.bodyHeight() - lipgloss.Height(s.header()) - formErrorRoom
	s.form = s.form.WithWidth(min(s.c.bodyWidth(), 100))
	fitGroups(s.groups, max(h, 6))
	return nil
}

func (s *startScreen) Keys() []key.Binding {
	if s.form == nil || s.busy {
		return nil
	}
	return s.form.KeyBinds()
}

func (s *startScreen) View() string {
	out := s.header()
	switch {
	case s.loading:
		return out + s.spin.View() + " Reading your AWS profiles…"
	case s.busy:
		return out + s.spin.View() + fmt.Sprintf(" Connecting as %s and %s (sts:GetCallerIdentity)…",
			s.ans.OwnerProfile, s.ans.ConsumerProfile)
	}
	return out + s.form.View()
}

func (s *startScreen) header() string {
	st := s.c.styles
	out := st.Title.Render("Who is involved?") + "\n" +
		st.Subtle.Width(s.c.bodyWidth()).Render("The owner account has the bucket; "+
			"the consumer account needs access to it.") + "\n\n"
	if s.loading || s.busy {
		return out
	}
	wrap := st.Warn.Width(s.c.bodyWidth())
	if s.noApply != "" {
		out += wrap.Render("Offline dry run: "+s.noApply+", so apply is disabled. "+
			"You can still preview every document and save the plan for s3grant apply.") + "\n\n"
	}
	if s.err != nil {
		out += st.Bad.Width(s.c.bodyWidth()).Render("Could not connect: "+s.err.Error()) + "\n\n"
	}
	return out
}
