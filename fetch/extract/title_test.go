package extract

import (
	"testing"
)

func TestArticleTitle(t *testing.T) {
	for _, tc := range []struct {
		name    string
		h1s     []string
		raTitle string
		sites   []string
		want    string
	}{
		{"h1 then site", []string{"Steigende US-Zinsen setzen Dax zu"}, "Steigende US-Zinsen setzen Dax zu | Börsen-Zeitung", nil, "Steigende US-Zinsen setzen Dax zu"},
		{"h1 then section site date", []string{"Ukrainische Gegenoffensive: Ziele, Chancen, Risiken"}, "Ukrainische Gegenoffensive: Ziele, Chancen, Risiken | Europa | DW | 28.04.2023", nil, "Ukrainische Gegenoffensive: Ziele, Chancen, Risiken"},
		{"site name h1 skipped", []string{"Golem.de", "Neue CPU vorgestellt"}, "Neue CPU vorgestellt - Golem.de", []string{"Golem.de"}, "Neue CPU vorgestellt"},
		{"suffix by site name", nil, "Neue CPU vorgestellt - Golem.de", []string{"Golem.de"}, "Neue CPU vorgestellt"},
		{"bracketed domain", nil, "LWN.net Weekly Edition for March 26, 2015 [LWN.net]", nil, "LWN.net Weekly Edition for March 26, 2015"},
		{"other headline kept", []string{"Hamburg Marathon 2024: Sieger"}, "Kinder-Marathon am Sonnabend", nil, "Kinder-Marathon am Sonnabend"},
		{"longer tail is no suffix", []string{"Kurz"}, "Kurz: eine lange Geschichte über etwas ganz anderes", nil, "Kurz: eine lange Geschichte über etwas ganz anderes"},
		{"site name alone kept", nil, "Golem.de", []string{"Golem.de"}, "Golem.de"},
		{"hyphen inside words kept", nil, "Baden-Württemberg", []string{"Württemberg"}, "Baden-Württemberg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := articleTitle(tc.h1s, tc.raTitle, tc.sites...); got != tc.want {
				t.Errorf("articleTitle(%q, %q, %q) = %q, want %q", tc.h1s, tc.raTitle, tc.sites, got, tc.want)
			}
		})
	}
}
