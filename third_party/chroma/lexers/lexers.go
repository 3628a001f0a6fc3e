package lexers

import (
	"embed"
	"io/fs"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

//go:embed embedded
var embedded embed.FS

// GlobalLexerRegistry is the global LexerRegistry of Lexers.
//
// kiosk patch: it holds the lexers written in Go from the start and the
// embedded XML lexers only from the first call of a function of this
// package that looks a lexer up (Get, Match, Analyse, ...): reading them took
// 3-4 ms of every process that links chroma, whether it highlights or not.
var GlobalLexerRegistry = chroma.NewLexerRegistry()

// loadEmbedded registers the embedded XML lexers. The lexers written in Go
// are registered after them again, as they were registered after them
// before the patch, so that they still win on a shared name.
func loadEmbedded() { embeddedOnce.Do(registerEmbedded) }

var embeddedOnce sync.Once

func registerEmbedded() {
	early := GlobalLexerRegistry.Lexers
	*GlobalLexerRegistry = *chroma.NewLexerRegistry()
	paths, err := fs.Glob(embedded, "embedded/*.xml")
	if err != nil {
		panic(err)
	}
	for _, path := range paths {
		GlobalLexerRegistry.Register(chroma.MustNewXMLLexer(embedded, path))
	}
	for _, lexer := range early {
		GlobalLexerRegistry.Register(lexer)
	}
	setDNSAnalyser()
	setMySQLAnalyser()
	setZedAnalyser()
}

// Names of all lexers, optionally including aliases.
func Names(withAliases bool) []string {
	loadEmbedded()
	return GlobalLexerRegistry.Names(withAliases)
}

// Get a Lexer by name, alias or file extension.
//
// Note that this if there isn't an exact match on name or alias, this will
// call Match(), so it is not efficient.
func Get(name string) chroma.Lexer {
	loadEmbedded()
	return GlobalLexerRegistry.Get(name)
}

// MatchMimeType attempts to find a lexer for the given MIME type.
func MatchMimeType(mimeType string) chroma.Lexer {
	loadEmbedded()
	return GlobalLexerRegistry.MatchMimeType(mimeType)
}

// Match returns the first lexer matching filename.
//
// Note that this iterates over all file patterns in all lexers, so it's not
// particularly efficient.
func Match(filename string) chroma.Lexer {
	loadEmbedded()
	return GlobalLexerRegistry.Match(filename)
}

// Register a Lexer with the global registry.
func Register(lexer chroma.Lexer) chroma.Lexer {
	return GlobalLexerRegistry.Register(lexer)
}

// Analyse text content and return the "best" lexer..
func Analyse(text string) chroma.Lexer {
	loadEmbedded()
	return GlobalLexerRegistry.Analyse(text)
}

// PlaintextRules is used for the fallback lexer as well as the explicit
// plaintext lexer.
func PlaintextRules() chroma.Rules {
	return chroma.Rules{
		"root": []chroma.Rule{
			{`.+`, chroma.Text, nil},
			{`\n`, chroma.Text, nil},
		},
	}
}

// Fallback lexer if no other is found.
var Fallback chroma.Lexer = chroma.MustNewLexer(&chroma.Config{
	Name:      "fallback",
	Filenames: []string{"*"},
	Priority:  -1,
}, PlaintextRules)
