package extract

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kiosk-reader/kiosk/fetch/markdown"
)

// fileName matches the camera file names pixnet uses as alt texts.
var fileName = regexp.MustCompile(`(?i)^\d*-?(IMG_|P\d{5})|\.jpe?g$`)

// TestFileNameAltNoCaption checks a real page whose pictures have their
// file names as alt text ("12-IMG_3886.jpg"): none becomes a caption.
func TestFileNameAltNoCaption(t *testing.T) {
	a, err := Article("http://fakehost/test/page.html", readGzip(t, filepath.Join("testdata", "readability", "pixnet", "source.html.gz")))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Figures) < 5 {
		t.Fatalf("pixnet has %d figures, want its photos", len(a.Figures))
	}
	for _, f := range a.Figures {
		if fileName.MatchString(f.Alt) || fileName.MatchString(f.Caption) {
			t.Errorf("figure %s: alt %q, caption %q: a file name kept", f.Image, f.Alt, f.Caption)
		}
	}
	md, pt := markdown.Document(a), markdown.PrintText(a, 80)
	for _, name := range []string{"IMG_3886.jpg", "P1610088.jpg"} {
		if strings.Contains(md, name) || strings.Contains(pt, name) {
			t.Errorf("file name %s shown in the Markdown or the print view", name)
		}
	}
}
