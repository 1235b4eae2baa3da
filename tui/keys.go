package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds every binding of the wizard. Screens enable the ones that
// work in their current state, so the help line only shows keys that do
// something now.
type KeyMap struct {
	Quit    key.Binding
	Back    key.Binding
	Up      key.Binding
	Down    key.Binding
	Choose  key.Binding
	NextTab key.Binding
	PrevTab key.Binding
	NextDoc key.Binding
	PrevDoc key.Binding
	Diff    key.Binding
	Copy    key.Binding
	Save    key.Binding
	Apply   key.Binding
	Exit    key.Binding
}

// DefaultKeyMap returns the wizard's bindings.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Quit:    b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Back:    b([]string{"esc"}, "esc", "back"),
		Up:      b([]string{"up", "k"}, "↑/k", "up"),
		Down:    b([]string{"down", "j"}, "↓/j", "down"),
		Choose:  b([]string{"enter"}, "enter", "choose"),
		NextTab: b([]string{"tab"}, "tab", "next section"),
		PrevTab: b([]string{"shift+tab"}, "shift+tab", "prev section"),
		NextDoc: b([]string{"right", "l"}, "→", "next document"),
		PrevDoc: b([]string{"left", "h"}, "←", "prev document"),
		Diff:    b([]string{"d"}, "d", "diff/document"),
		Copy:    b([]string{"c"}, "c", "copy"),
		Save:    b([]string{"s"}, "s", "save"),
		Apply:   b([]string{"a"}, "a", "apply"),
		Exit:    b([]string{"q"}, "q", "exit"),
	}
}

// only returns the bindings that are enabled.
func only(bs ...key.Binding) []key.Binding {
	out := make([]key.Binding, 0, len(bs))
	for _, b := range bs {
		if b.Enabled() {
			out = append(out, b)
		}
	}
	return out
}

// withHelp returns a copy of b with another description.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
