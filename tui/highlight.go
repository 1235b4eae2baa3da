package tui

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/charmbracelet/lipgloss"
)

// jsonLexer is chroma's JSON lexer (the rules of its embedded json.xml),
// built here because importing chroma's lexers package parses every
// embedded lexer at start-up, which would delay the first frame.
func jsonLexer() chroma.Lexer {
	str := `"(\\\\|\\"|[^"])*"`
	return chroma.MustNewLexer(&chroma.Config{Name: "JSON", DotAll: true, NotMultiline: true}, func() chroma.Rules {
		return chroma.Rules{
			"root":       {chroma.Include("value")},
			"whitespace": {{Pattern: `\s+`, Type: chroma.Text}},
			"simplevalue": {
				{Pattern: `(true|false|null)\b`, Type: chroma.KeywordConstant},
				{Pattern: `-?(0|[1-9]\d*)(\.\d+[eE](\+|-)?\d+|[eE](\+|-)?\d+|\.\d+)`, Type: chroma.LiteralNumberFloat},
				{Pattern: `-?(0|[1-9]\d*)`, Type: chroma.LiteralNumberInteger},
				{Pattern: str, Type: chroma.LiteralStringDouble},
			},
			"objectattribute": {
				chroma.Include("value"),
				{Pattern: `:`, Type: chroma.Punctuation},
				{Pattern: `,`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
				{Pattern: `\}`, Type: chroma.Punctuation, Mutator: chroma.Pop(2)},
			},
			"objectvalue": {
				chroma.Include("whitespace"),
				{Pattern: str, Type: chroma.NameTag, Mutator: chroma.Push("objectattribute")},
				{Pattern: `\}`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
			},
			"arrayvalue": {
				chroma.Include("whitespace"),
				chroma.Include("value"),
				{Pattern: `,`, Type: chroma.Punctuation},
				{Pattern: `\]`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
			},
			"value": {
				chroma.Include("whitespace"),
				chroma.Include("simplevalue"),
				{Pattern: `\{`, Type: chroma.Punctuation, Mutator: chroma.Push("objectvalue")},
				{Pattern: `\[`, Type: chroma.Punctuation, Mutator: chroma.Push("arrayvalue")},
			},
		}
	})
}

// highlighter colours JSON with the palette; with NO_COLOR the styles
// render plain text, so the output is the document as written.
type highlighter struct {
	lexer  chroma.Lexer
	styles *Styles
}

func newHighlighter(s *Styles) *highlighter { return &highlighter{lexer: jsonLexer(), styles: s} }

// JSON returns the document highlighted, line structure unchanged.
func (h *highlighter) JSON(doc string) string {
	it, err := h.lexer.Tokenise(nil, doc)
	if err != nil {
		return doc
	}
	var b strings.Builder
	for tok := it(); tok != chroma.EOF; tok = it() {
		b.WriteString(h.token(tok))
	}
	return b.String()
}

func (h *highlighter) token(tok chroma.Token) string {
	var st lipgloss.Style
	switch {
	case tok.Type == chroma.NameTag:
		st = h.styles.JSONKey
	case tok.Type.InCategory(chroma.LiteralString):
		st = h.styles.JSONString
	case tok.Type.InCategory(chroma.LiteralNumber), tok.Type == chroma.KeywordConstant:
		st = h.styles.JSONNumber
	case tok.Type == chroma.Punctuation:
		st = h.styles.JSONPunc
	default:
		return tok.Value
	}
	// Style line by line so a token never carries escape codes across a
	// newline (the viewport cuts lines).
	lines := strings.Split(tok.Value, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = st.Render(l)
		}
	}
	return strings.Join(lines, "\n")
}

// Diff colours a unified diff: additions, removals and hunk headers.
func (h *highlighter) Diff(diff string) string {
	lines := strings.Split(strings.TrimRight(diff, "\n"), "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			lines[i] = h.styles.Subtle.Render(l)
		case strings.HasPrefix(l, "+"):
			lines[i] = h.styles.DiffAdd.Render(l)
		case strings.HasPrefix(l, "-"):
			lines[i] = h.styles.DiffDel.Render(l)
		case strings.HasPrefix(l, "@@"):
			lines[i] = h.styles.DiffHunk.Render(l)
		}
	}
	return strings.Join(lines, "\n")
}
