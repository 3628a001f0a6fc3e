package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
)

// scope is the set of screens (and modes) on which an action's keys work;
// two actions may share a key only when their scopes do not meet.
type scope uint8

const (
	onList scope = 1 << iota
	onReader
	onLinks
	onHelp
	onFeeds
	onAll = onList | onReader | onLinks | onHelp | onFeeds
)

// names lists the screens of a scope, for error messages.
func (s scope) names() string {
	var out []string
	for _, n := range []struct {
		s    scope
		name string
	}{{onList, "the list"}, {onReader, "the reader"}, {onLinks, "the references panel"}, {onHelp, "help"}, {onFeeds, "the feeds overview"}} {
		if s&n.s != 0 {
			out = append(out, n.name)
		}
	}
	return strings.Join(out, ", ")
}

// action is one remappable binding: its name in the config's [keys] table,
// the field of keyMap it sets and where it works.
type action struct {
	name string // "" for a fixed binding that is only checked for conflicts
	b    *key.Binding
	on   scope
}

// actions is the table of [keys] action names. Adding a binding to keyMap
// and a line here makes it remappable, shown in help with its keys and
// checked for conflicts.
func (k *keyMap) actions() []action {
	return []action{
		{"up", &k.Up, onList | onReader | onLinks | onFeeds},
		{"down", &k.Down, onList | onReader | onLinks | onFeeds},
		{"open", &k.Open, onList | onLinks | onFeeds},
		{"back", &k.Back, onAll},
		{"quit", &k.Quit, onList | onFeeds},
		{"force_quit", &k.ForceQuit, onAll},
		{"top", &k.Top, onList | onReader | onLinks | onFeeds},
		{"bottom", &k.Bottom, onList | onReader | onLinks | onFeeds},
		{"page_down", &k.PageDown, onList | onReader | onLinks | onFeeds},
		{"page_up", &k.PageUp, onList | onReader | onLinks | onFeeds},
		{"next_unread", &k.NextUnread, onList | onReader | onFeeds},
		{"prev_unread", &k.PrevUnread, onList | onReader | onFeeds},
		{"next_article", &k.Next, onList | onReader},
		{"prev_article", &k.Prev, onList | onReader},
		{"feeds", &k.Feeds, onList | onReader},
		{"mark_all_read", &k.MarkAllRead, onList | onReader | onFeeds},
		{"undo", &k.Undo, onList | onReader | onFeeds},
		{"reference", &k.RefNumber, onReader},
		{"", &k.Ref, onReader | onLinks}, // 1-9: the digits are the reference numbers
		{"references", &k.Links, onReader},
		{"browser", &k.Browser, onList | onReader | onLinks | onFeeds},
		{"copy", &k.Copy, onList | onReader | onLinks | onFeeds},
		{"browser_mark_read", &k.BrowserRead, onList | onReader},
		{"save", &k.Save, onReader},
		{"pipe", &k.Pipe, onReader},
		{"images", &k.Images, onReader},
		{"view_image", &k.ViewImage, onReader},
		{"filter", &k.Filter, onList | onReader},
		{"search", &k.Search, onList},
		{"sync_feed", &k.Sync, onList | onReader | onFeeds},
		{"sync_all", &k.SyncAll, onList | onReader | onFeeds},
		{"toggle_read", &k.ToggleRead, onList | onReader},
		{"toggle_star", &k.ToggleStar, onList | onReader},
		{"help", &k.Help, onAll},
		{"next_feed", &k.NextFeed, onList},
		{"prev_feed", &k.PrevFeed, onList},
		{"unread_only", &k.UnreadOnly, onList},
		{"starred_only", &k.StarredOnly, onList},
		{"find_next", &k.FindNext, onReader},
		{"find_prev", &k.FindPrev, onReader},
	}
}

// sharedKeys are pairs of actions that share keys on purpose: quit is
// checked first on the list, so q quits there and goes back elsewhere;
// while a find is active, its keys go before the article steps.
var sharedKeys = map[[2]string]bool{
	{"back", "quit"}:              true,
	{"next_article", "find_next"}: true, {"prev_article", "find_prev"}: true,
	{"next_unread", "find_next"}: true, {"prev_unread", "find_prev"}: true,
}

// ActionNames lists the action names a [keys] table may use, in the order
// of the help.
func ActionNames() []string {
	var k keyMap
	var out []string
	for _, a := range k.actions() {
		if a.name != "" {
			out = append(out, a.name)
		}
	}
	return out
}

// KeyError is one problem of a [keys] table. Action is the action whose
// entry is wrong (Other, for a conflict, the action it collides with), so
// that the config reader can point at its line.
type KeyError struct {
	Action, Other string
	Msg           string
}

// Error implements error.
func (e KeyError) Error() string { return e.Msg }

// CheckKeys checks a [keys] table (action name → keys): every action must
// exist, every key must be one bubbletea reports, and no key may do two
// things on one screen. It returns every problem found, or nil.
func CheckKeys(bind map[string][]string) []KeyError {
	k := defaultKeyMap()
	return k.remap(bind)
}

// remap replaces the keys of the actions in bind and rebuilds their help
// from the new keys; it reports what CheckKeys reports. An empty list
// unbinds an action (its help entry disappears).
func (k *keyMap) remap(bind map[string][]string) []KeyError {
	var errs []KeyError
	table := k.actions()
	byName := map[string]action{}
	for _, a := range table {
		if a.name != "" {
			byName[a.name] = a
		}
	}
	names := make([]string, 0, len(bind))
	for name := range bind {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a, ok := byName[name]
		if !ok {
			errs = append(errs, KeyError{Action: name, Msg: fmt.Sprintf("unknown action %q (known: %s)", name, strings.Join(ActionNames(), ", "))})
			continue
		}
		var keys []string
		bad := false
		for _, s := range bind[name] {
			if err := checkKeyName(s); err != nil {
				errs = append(errs, KeyError{Action: name, Msg: fmt.Sprintf("%s: %v", name, err)})
				bad = true
				continue
			}
			if !slices.Contains(keys, s) {
				keys = append(keys, s)
			}
		}
		if bad {
			continue
		}
		if len(keys) == 0 && name == "force_quit" {
			errs = append(errs, KeyError{Action: name, Msg: "force_quit needs at least one key: it is the way out of every screen"})
			continue
		}
		desc := a.b.Help().Desc
		if len(keys) == 0 {
			*a.b = key.NewBinding(key.WithDisabled(), key.WithHelp("", desc))
			continue
		}
		*a.b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKeys(keys), desc))
	}
	return append(errs, conflicts(table)...)
}

// conflicts finds keys that two actions of overlapping scopes share.
func conflicts(table []action) []KeyError {
	var errs []KeyError
	for i, a := range table {
		for _, b := range table[i+1:] {
			both := a.on & b.on
			if both == 0 || sharedKeys[[2]string{a.name, b.name}] || sharedKeys[[2]string{b.name, a.name}] {
				continue
			}
			for _, s := range a.b.Keys() {
				if !slices.Contains(b.b.Keys(), s) {
					continue
				}
				an, bn := actionLabel(a), actionLabel(b)
				e := KeyError{Action: a.name, Other: b.name,
					Msg: fmt.Sprintf("key %q is bound to both %s and %s (both work on %s)", s, an, bn, both.names())}
				if a.name == "" {
					e.Action, e.Other = b.name, ""
				}
				if b.name == "" {
					e.Other = ""
				}
				errs = append(errs, e)
			}
		}
	}
	return errs
}

// actionLabel names an action in a message.
func actionLabel(a action) string {
	if a.name == "" {
		return "the reference numbers 1-9"
	}
	return a.name
}

// namedKeys are the key names bubbletea v2 reports for keys that type no
// character (ultraviolet's Key.Keystroke).
var namedKeys = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`enter tab backspace esc space up down left right begin find insert
		delete select pgup pgdown home end capslock scrolllock numlock printscreen pause`) {
		m[n] = true
	}
	for i := 1; i <= 63; i++ {
		m[fmt.Sprintf("f%d", i)] = true
	}
	return m
}()

// checkKeyName accepts the strings key.Matches compares with: a printable
// character ("x", "G", "?", "ä"), a named key ("enter", "pgdown", "f5"),
// or either after modifiers in bubbletea's order ("ctrl+x", "alt+enter",
// "ctrl+alt+x", "shift+tab"). A shifted letter is its capital ("G").
func checkKeyName(s string) error {
	mods := []string{"ctrl", "alt", "shift"}
	rest, last := s, -1
	for {
		i := strings.IndexByte(rest, '+')
		if i <= 0 || i == len(rest)-1 {
			break
		}
		m := rest[:i]
		j := slices.Index(mods, m)
		if j < 0 {
			return fmt.Errorf("unknown key %q: %q is not a modifier (ctrl, alt, shift)", s, m)
		}
		if j <= last {
			return fmt.Errorf("unknown key %q: write the modifiers in the order ctrl+alt+shift", s)
		}
		last = j
		rest = rest[i+1:]
	}
	switch {
	case namedKeys[rest]:
		return nil
	case utf8.RuneCountInString(rest) == 1:
		r, _ := utf8.DecodeRuneInString(rest)
		switch {
		case r == ' ':
			return fmt.Errorf("unknown key %q: write space as \"space\"", s)
		case !unicode.IsPrint(r):
			return fmt.Errorf("unknown key %q: not a printable character", s)
		case last == 2 && unicode.IsPrint(r):
			return fmt.Errorf("unknown key %q: shift with a character is the character itself (write %q)", s, strings.ToUpper(rest))
		case last >= 0 && unicode.IsUpper(r):
			return fmt.Errorf("unknown key %q: with ctrl or alt write the letter in lower case (%q)", s, strings.ToLower(s))
		}
		return nil
	}
	return fmt.Errorf("unknown key %q (a character like \"x\" or \"?\", a name like enter, esc, tab, space, up, pgdown, home, f1, or ctrl+x, alt+x, shift+tab)", s)
}

// keySymbols are the short forms help shows for some key names.
var keySymbols = map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→", "pgdown": "pgdn"}

// helpKeys is the key column of the help for keys.
func helpKeys(keys []string) string {
	out := make([]string, len(keys))
	for i, s := range keys {
		out[i] = s
		if sym, ok := keySymbols[s]; ok {
			out[i] = sym
		}
	}
	return strings.Join(out, "/")
}

// withoutKeys drops the keys of another binding from a help key column
// ("esc/h/q" without q is "esc/h").
func withoutKeys(column string, keys []string) string {
	parts := strings.Split(column, "/")
	parts = slices.DeleteFunc(parts, func(p string) bool {
		return slices.ContainsFunc(keys, func(k string) bool { return helpKeys([]string{k}) == p })
	})
	return strings.Join(parts, "/")
}

// configuredKeys is the default key map remapped by bind; with problems
// it is the default key map and an error naming the first problem.
func configuredKeys(bind map[string][]string) (keyMap, error) {
	k := defaultKeyMap()
	if errs := k.remap(bind); len(errs) > 0 {
		return defaultKeyMap(), fmt.Errorf("config [keys]: %w; the default keys are in use", errs[0])
	}
	return k, nil
}

// firstKey names the first key of a binding, for hints in views.
func firstKey(b key.Binding) string {
	if keys := b.Keys(); len(keys) > 0 {
		return helpKeys(keys[:1])
	}
	return "(unbound)"
}
