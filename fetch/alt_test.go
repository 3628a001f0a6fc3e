package fetch

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestIsFileNameAlt(t *testing.T) {
	for _, tc := range []struct {
		alt  string
		want bool
	}{
		{"12-IMG_3886.jpg", true}, {"DSC01234", true}, {"image.png", true}, {"foto_1", true},
		{"P1610088", true}, {"performance.JPG", true},
		{"Überweisung", false}, {"COVID-19", false}, {"Kate Moss, Parfum, Beauty-Routine", false},
		{"F-35", false}, {"Christin Jordan, SWR", false}, {"", false}, {"Stand: 12.03.2024", false},
	} {
		if got := isFileNameAlt(tc.alt); got != tc.want {
			t.Errorf("isFileNameAlt(%q) = %v, want %v", tc.alt, got, tc.want)
		}
	}
}

// TestFileNameAltNoCaption checks a real page whose pictures have their
// file names as alt text ("12-IMG_3886.jpg"): none becomes a caption.
func TestFileNameAltNoCaption(t *testing.T) {
	a, err := Extract("http://fakehost/test/page.html", readGzip(t, filepath.Join("testdata", "readability", "pixnet.html.gz")))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Figures) < 5 {
		t.Fatalf("pixnet has %d figures, want its photos", len(a.Figures))
	}
	for _, f := range a.Figures {
		if isFileNameAlt(f.Alt) || isFileNameAlt(f.Caption) {
			t.Errorf("figure %s: alt %q, caption %q: a file name kept", f.Image, f.Alt, f.Caption)
		}
	}
	md, pt := Markdown(a), PrintText(a, 80)
	for _, name := range []string{"IMG_3886.jpg", "P1610088.jpg"} {
		if strings.Contains(md, name) || strings.Contains(pt, name) {
			t.Errorf("file name %s shown in the Markdown or the print view", name)
		}
	}
}
