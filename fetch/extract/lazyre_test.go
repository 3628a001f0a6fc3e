package extract

import (
	"regexp"
	"testing"
)

// TestLazyRegexpsCompile compiles every package-level pattern, which
// would otherwise panic only when a page first needs it.
func TestLazyRegexpsCompile(t *testing.T) {
	if len(lazyRegexps) < 20 {
		t.Fatalf("%d lazy patterns registered, want the package's 20 or more", len(lazyRegexps))
	}
	for _, l := range lazyRegexps {
		if _, err := regexp.Compile(l.pattern); err != nil {
			t.Errorf("pattern %q: %v", l.pattern, err)
		}
	}
	if !labelledByline.MatchString("Von Anna Schmidt") || labelledByline.MatchString("von anna") {
		t.Error("labelledByline does not match as its pattern says")
	}
}
