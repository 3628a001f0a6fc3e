package extract

import (
	"strings"

	"github.com/kiosk-reader/kiosk/fetch/article"
)

// splitNames splits "A, B & C" and "A und B" into names.
func splitNames(s string) []string {
	s = article.CleanLine(s)
	s = strings.TrimPrefix(s, "Von ")
	if s == "" {
		return nil
	}
	s = strings.NewReplacer(" & ", ",", " und ", ",", ";", ",").Replace(s)
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// dedupe drops repeated names, keeping the first; nil when none remain.
func dedupe(s []string) []string {
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
