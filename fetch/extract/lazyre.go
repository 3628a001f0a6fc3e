package extract

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled on its first use, not at
// package initialisation: every kiosk process links this package, and
// compiling its patterns up front took 2.7 ms of each start (`kiosk
// version` included; GODEBUG=inittrace=1). Declare package-level patterns
// with lazy(`...`) instead of regexp.MustCompile; an invalid pattern still
// panics, at its first use, and TestLazyRegexpsCompile compiles them all.
type lazyRegexp struct {
	once    sync.Once
	pattern string
	re      *regexp.Regexp
}

// lazyRegexps lists every lazyRegexp, for the test that compiles them; only
// package initialisation appends to it.
var lazyRegexps []*lazyRegexp

// lazy returns a lazyRegexp for pattern.
func lazy(pattern string) *lazyRegexp {
	l := &lazyRegexp{pattern: pattern}
	lazyRegexps = append(lazyRegexps, l)
	return l
}

func (l *lazyRegexp) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.pattern) })
	return l.re
}

// MatchString is regexp.Regexp.MatchString.
func (l *lazyRegexp) MatchString(s string) bool { return l.get().MatchString(s) }

// FindString is regexp.Regexp.FindString.
func (l *lazyRegexp) FindString(s string) string { return l.get().FindString(s) }

// FindStringIndex is regexp.Regexp.FindStringIndex.
func (l *lazyRegexp) FindStringIndex(s string) []int { return l.get().FindStringIndex(s) }

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (l *lazyRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.get().FindAllStringSubmatch(s, n)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (l *lazyRegexp) ReplaceAllString(src, repl string) string {
	return l.get().ReplaceAllString(src, repl)
}
