package styles

import (
	"embed"
	"io/fs"
	"sort"
	"sync"

	"github.com/alecthomas/chroma/v2"
)

//go:embed *.xml
var embedded embed.FS

// Registry of Styles added with Register.
//
// kiosk patch: the embedded styles are no longer in Registry; they are read
// on the first call of Get or Names (reading them took 3-4 ms of every
// process that links chroma), kept apart so that reading them never writes
// to Registry, and a registered style still wins on a shared name.
var Registry = map[string]*chroma.Style{}

// embeddedStyles reads the embedded styles.
var embeddedStyles = sync.OnceValue(func() map[string]*chroma.Style {
	registry := map[string]*chroma.Style{}
	// Register all embedded styles.
	files, err := fs.ReadDir(embedded, ".")
	if err != nil {
		panic(err)
	}
	for _, file := range files {
		if file.IsDir() {
			continue
		}
		r, err := embedded.Open(file.Name())
		if err != nil {
			panic(err)
		}
		style, err := chroma.NewXMLStyle(r)
		if err != nil {
			panic(err)
		}
		registry[style.Name] = style
		_ = r.Close()
	}
	return registry
})

// Fallback style. Reassign to change the default fallback style; nil (the
// kiosk patch's default) means the embedded "swapoff".
var Fallback *chroma.Style

// Register a chroma.Style.
func Register(style *chroma.Style) *chroma.Style {
	Registry[style.Name] = style
	return style
}

// Names of all available styles.
func Names() []string {
	out := []string{}
	for name := range Registry {
		out = append(out, name)
	}
	for name := range embeddedStyles() {
		if _, ok := Registry[name]; !ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Get named style, or Fallback.
func Get(name string) *chroma.Style {
	if style, ok := Registry[name]; ok {
		return style
	}
	if style, ok := embeddedStyles()[name]; ok {
		return style
	}
	if Fallback != nil {
		return Fallback
	}
	return embeddedStyles()["swapoff"]
}
