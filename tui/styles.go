package tui

import (
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Palette is the wizard's colours: every style, the huh theme and the JSON
// highlighting are built from these, so a change here changes every screen.
type Palette struct {
	Text, Subtle, Faint  lipgloss.AdaptiveColor
	Accent, Accent2      lipgloss.AdaptiveColor
	OK, Warn, Bad, Info  lipgloss.AdaptiveColor
	Key, String, Number  lipgloss.AdaptiveColor
	Added, Removed, Rule lipgloss.AdaptiveColor
}

// DefaultPalette is the palette the wizard ships with.
func DefaultPalette() Palette {
	return Palette{
		Text:    lipgloss.AdaptiveColor{Light: "235", Dark: "252"},
		Subtle:  lipgloss.AdaptiveColor{Light: "243", Dark: "245"},
		Faint:   lipgloss.AdaptiveColor{Light: "250", Dark: "238"},
		Accent:  lipgloss.AdaptiveColor{Light: "#1F6FEB", Dark: "#58A6FF"},
		Accent2: lipgloss.AdaptiveColor{Light: "#8250DF", Dark: "#BC8CFF"},
		OK:      lipgloss.AdaptiveColor{Light: "#1A7F37", Dark: "#3FB950"},
		Warn:    lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#D29922"},
		Bad:     lipgloss.AdaptiveColor{Light: "#CF222E", Dark: "#F85149"},
		Info:    lipgloss.AdaptiveColor{Light: "#0969DA", Dark: "#79C0FF"},
		Key:     lipgloss.AdaptiveColor{Light: "#0550AE", Dark: "#79C0FF"},
		String:  lipgloss.AdaptiveColor{Light: "#116329", Dark: "#7EE787"},
		Number:  lipgloss.AdaptiveColor{Light: "#953800", Dark: "#FFA657"},
		Added:   lipgloss.AdaptiveColor{Light: "#1A7F37", Dark: "#3FB950"},
		Removed: lipgloss.AdaptiveColor{Light: "#CF222E", Dark: "#F85149"},
		Rule:    lipgloss.AdaptiveColor{Light: "252", Dark: "237"},
	}
}

// Styles are the lipgloss styles every screen draws with.
type Styles struct {
	renderer *lipgloss.Renderer
	Palette  Palette
	// NoColor is true when the renderer draws no colour and no attributes
	// (NO_COLOR, a pipe): every state then needs a mark of its own, like
	// [brackets] around the current tab.
	NoColor bool

	App, Title, Subtitle, Text, Subtle, Faint lipgloss.Style
	OK, Warn, Bad, Info, Accent               lipgloss.Style
	Selected, Unselected, Recommended         lipgloss.Style
	Panel, WarnPanel, Description             lipgloss.Style
	TabActive, TabInactive, TabGap            lipgloss.Style
	HelpKey, HelpDesc, HelpSep                lipgloss.Style
	JSONKey, JSONString, JSONNumber, JSONPunc lipgloss.Style
	DiffAdd, DiffDel, DiffHunk                lipgloss.Style
	Command                                   lipgloss.Style
}

// NewStyles builds the styles for a renderer; the renderer decides the colour
// profile, so NO_COLOR and pipes get plain text.
func NewStyles(r *lipgloss.Renderer) *Styles {
	p := DefaultPalette()
	n := r.NewStyle
	s := &Styles{renderer: r, Palette: p, NoColor: r.ColorProfile() == termenv.Ascii}
	s.App = n().Padding(0, 1)
	s.Title = n().Bold(true).Foreground(p.Accent)
	s.Subtitle = n().Foreground(p.Subtle)
	s.Text = n().Foreground(p.Text)
	s.Subtle = n().Foreground(p.Subtle)
	s.Faint = n().Foreground(p.Faint)
	s.OK = n().Foreground(p.OK)
	s.Warn = n().Foreground(p.Warn)
	s.Bad = n().Foreground(p.Bad).Bold(true)
	s.Info = n().Foreground(p.Info)
	s.Accent = n().Foreground(p.Accent2)
	s.Selected = n().Foreground(p.Accent).Bold(true)
	s.Unselected = n().Foreground(p.Text)
	s.Recommended = n().Foreground(p.OK)
	s.Panel = n().Border(lipgloss.RoundedBorder()).BorderForeground(p.Faint).Padding(0, 1)
	s.WarnPanel = n().Border(lipgloss.ThickBorder()).BorderForeground(p.Warn).Padding(0, 1)
	s.Description = n().Foreground(p.Text)
	s.TabActive = n().Bold(true).Foreground(p.Accent).Underline(true)
	s.TabInactive = n().Foreground(p.Subtle)
	s.TabGap = n().Foreground(p.Faint)
	s.HelpKey = n().Foreground(p.Subtle).Bold(true)
	s.HelpDesc = n().Foreground(p.Faint)
	s.HelpSep = n().Foreground(p.Faint)
	s.JSONKey = n().Foreground(p.Key)
	s.JSONString = n().Foreground(p.String)
	s.JSONNumber = n().Foreground(p.Number)
	s.JSONPunc = n().Foreground(p.Subtle)
	s.DiffAdd = n().Foreground(p.Added)
	s.DiffDel = n().Foreground(p.Removed)
	s.DiffHunk = n().Foreground(p.Accent2)
	s.Command = n().Foreground(p.Accent2)
	return s
}

// HuhTheme derives the form theme from the palette, so questions look like
// the rest of the wizard.
func (s *Styles) HuhTheme() *huh.Theme {
	p, n := s.Palette, s.renderer.NewStyle
	t := huh.ThemeBase()
	t.Focused.Base = t.Focused.Base.BorderForeground(p.Faint)
	t.Focused.Card = t.Focused.Base
	t.Focused.Title = n().Foreground(p.Accent).Bold(true)
	t.Focused.NoteTitle = n().Foreground(p.Accent).Bold(true).MarginBottom(1)
	t.Focused.Description = n().Foreground(p.Subtle)
	t.Focused.ErrorIndicator = n().Foreground(p.Bad).SetString(" *")
	t.Focused.ErrorMessage = n().Foreground(p.Bad).SetString(" *")
	t.Focused.SelectSelector = n().Foreground(p.Accent2).SetString("> ")
	t.Focused.NextIndicator = n().Foreground(p.Accent2).MarginLeft(1).SetString("→")
	t.Focused.PrevIndicator = n().Foreground(p.Accent2).MarginRight(1).SetString("←")
	t.Focused.Option = n().Foreground(p.Text)
	t.Focused.SelectedOption = n().Foreground(p.OK)
	t.Focused.UnselectedOption = n().Foreground(p.Text)
	t.Focused.FocusedButton = n().Padding(0, 2).MarginRight(1).
		Foreground(lipgloss.Color("#FFFFFF")).Background(p.Accent)
	t.Focused.BlurredButton = n().Padding(0, 2).MarginRight(1).Foreground(p.Text).Background(p.Rule)
	t.Focused.Next = t.Focused.FocusedButton
	t.Focused.TextInput.Cursor = n().Foreground(p.Accent2)
	t.Focused.TextInput.Placeholder = n().Foreground(p.Faint)
	t.Focused.TextInput.Prompt = n().Foreground(p.Accent2)
	t.Focused.TextInput.Text = n().Foreground(p.Text)
	t.Blurred = t.Focused
	t.Blurred.Base = t.Focused.Base.BorderStyle(lipgloss.HiddenBorder())
	t.Blurred.Card = t.Blurred.Base
	t.Blurred.NextIndicator = n()
	t.Blurred.PrevIndicator = n()
	// A select that lost the focus still marks its answer, not by colour
	// alone.
	t.Blurred.SelectSelector = n().Foreground(p.OK).SetString("✓ ")
	if s.NoColor {
		// The buttons differ only by their background: mark the chosen one.
		t.Focused.FocusedButton = n().MarginRight(2).SetString("[x]")
		t.Focused.BlurredButton = n().MarginRight(2).SetString("[ ]")
		t.Focused.Next = t.Focused.FocusedButton
		t.Blurred.FocusedButton, t.Blurred.BlurredButton = t.Focused.FocusedButton, t.Focused.BlurredButton
	}
	t.Group.Title = t.Focused.Title
	t.Group.Description = t.Focused.Description
	return t
}
