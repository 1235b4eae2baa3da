package tui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/s3grant/s3grant/spec"
	"github.com/s3grant/s3grant/wizard"
)

// navigate handles the messages that move between screens or feed the
// root's shared knowledge. It reports whether msg was one of them.
func (m *Model) navigate(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case startDoneMsg:
		return m.toMethod(), true
	case connectedMsg:
		if msg.err != nil {
			return m.start.connectFailed(msg.err), true
		}
		m.session = msg.session
		m.ans.OwnerAcct, m.ans.Consumers = msg.session.OwnerAccount, msg.session.ConsumerAccount
		return m.toMethod(), true
	case suggestionsMsg:
		m.sugg = msg.s
		return nil, true
	case bucketFoundMsg:
		if msg.bucket != strings.TrimSpace(m.ans.Bucket) {
			return nil, true // the answer changed since: its own read is coming
		}
		m.ans.SetBucketFindings(msg.bucket, msg.region, msg.key)
		return m.foundForQuestions(msg), true
	case canonicalFoundMsg:
		m.ans.SetCanonicalFinding(msg.id)
		return m.foundForQuestions(msg), true
	case factsMsg:
		if msg.bucket == m.ans.Bucket {
			f := msg.facts
			m.facts = &f
			if m.method != nil {
				m.method.recommend(m.facts)
			}
			if m.questions != nil {
				m.questions.advise(m.facts)
			}
		}
		return nil, true
	case methodChosenMsg:
		m.ans.Method = msg.m
		m.questions = m.newQuestions()
		m.page = pageQuestions
		cmds := []tea.Cmd{m.questions.Init(), m.questions.SetSize()}
		if f := m.finder(); f != nil && m.ans.Method == spec.MethodACL &&
			m.ans.Found.CanonicalID == (wizard.Finding{}) {
			cmds = append(cmds, lookupCanonical(m.c.ctx, f))
		}
		return tea.Batch(cmds...), true
	case questionsDoneMsg:
		m.preview = newPreviewScreen(m.c, m.ans, m.session)
		m.page = pagePreview
		return tea.Batch(m.preview.Init(), buildPlan(m.c.ctx, m.session, m.c.opts.Checker, m.ans.Spec())), true
	case planMsg:
		if msg.err != nil && spec.AsFieldErrors(msg.err) != nil {
			// A rule between answers that no single field caught: back to
			// the questions, answers kept, with the problems shown.
			m.questions = m.newQuestions()
			m.questions.problems = spec.AsFieldErrors(msg.err)
			m.page = pageQuestions
			return tea.Batch(m.questions.Init(), m.questions.SetSize()), true
		}
		return m.preview.Update(msg), true
	case applyRequestMsg:
		m.apply = newApplyScreen(m.c, m.ans, m.session, m.preview.plan)
		m.page = pageApply
		return tea.Batch(m.apply.Init(), m.apply.SetSize()), true
	case backMsg:
		return m.back(), true
	}
	return nil, false
}

// newQuestions builds the questions screen; connected, it reads the
// bucket's settings once the bucket is answered.
func (m *Model) newQuestions() *questionsScreen {
	var reader StateReader
	if m.session != nil {
		reader = m.session.State
	}
	q := newQuestionsScreen(m.c, m.ans, m.sugg, reader, m.finder())
	q.advise(m.facts)
	return q
}

// finder reads the questions' defaults, when connected.
func (m *Model) finder() Suggester {
	if m.session == nil {
		return nil
	}
	return m.session.Suggest
}

// foundForQuestions lets the questions screen, when it is shown, redraw
// what depends on a finding.
func (m *Model) foundForQuestions(msg tea.Msg) tea.Cmd {
	if m.page != pageQuestions || m.questions == nil {
		return nil
	}
	return m.questions.found(msg)
}

func (m *Model) toMethod() tea.Cmd {
	m.method = newMethodScreen(m.c, m.ans)
	m.method.recommend(m.facts)
	m.page = pageMethod
	cmds := []tea.Cmd{m.method.SetSize()}
	if m.session != nil && m.session.Suggest != nil {
		cmds = append(cmds, suggest(m.c.ctx, m.session.Suggest))
	}
	if m.session != nil && m.session.State != nil && m.ans.Bucket != "" && m.facts == nil {
		cmds = append(cmds, readFacts(m.c.ctx, m.session.State, m.ans.Spec()))
	}
	// A bucket given on the command line: its defaults are read while the
	// method is chosen.
	if b := strings.TrimSpace(m.ans.Bucket); m.finder() != nil && spec.ValidateBucket(b) == nil && m.ans.LookUp(b) {
		cmds = append(cmds, lookupBucket(m.c.ctx, m.finder(), b))
	}
	return tea.Batch(cmds...)
}

// back goes to the previous screen. Answers live in m.ans, so every form is
// rebuilt from them (a finished huh form cannot be reset).
func (m *Model) back() tea.Cmd {
	switch m.page {
	case pageMethod:
		m.session = nil
		m.ans.Found = wizard.Found{} // read as the profiles left behind
		m.start = newStartScreen(m.c, m.ans)
		m.page = pageStart
		return tea.Batch(m.start.Init(), m.start.SetSize())
	case pageQuestions:
		return m.toMethod()
	case pageApply:
		// Only a failed apply offers esc: the preview is as it was.
		m.apply, m.page = nil, pagePreview
		return m.preview.SetSize()
	case pagePreview:
		m.questions = m.newQuestions()
		m.page = pageQuestions
		return tea.Batch(m.questions.Init(), m.questions.SetSize())
	default: // no special case
	}
	return nil
}
