package extract

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
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

// TestNoPatternCompiledAtInit keeps package-level patterns lazy: a
// regexp.MustCompile in a package-level declaration runs in every kiosk
// process, at start.
func TestNoPatternCompiledAtInit(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	decl := regexp.MustCompile(`(?m)^(var |\t)\w+\s*=\s*regexp\.MustCompile\(`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "lazyre.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllIndex(src, -1) {
			line := 1 + strings.Count(string(src[:m[0]]), "\n")
			t.Errorf("%s:%d: a package-level regexp.MustCompile; declare it with lazy(...)", f, line)
		}
	}
}
