package main

import (
	"strings"
	"testing"
)

func TestConfigImageSettings(t *testing.T) {
	cfg, err := parseConfig("c.toml", []byte("images = \"off\"\nimage_protocol = \"kitty\"\nimages_per_article = 3\nimage_max_kb = 512\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o := cfg.pictureOptions(); cfg.Images != "off" || cfg.ImageProtocol != "kitty" || o.PerArticle != 3 || o.MaxBytes != 512<<10 {
		t.Errorf("config = %+v, options %+v", cfg, o)
	}
	if def := defaultConfig(); def.Images != "on" || def.ImageProtocol != "auto" || def.ImagesPerArticle != 8 || def.ImageMaxKB != 2048 {
		t.Errorf("defaults = %+v", def)
	}
	for text, want := range map[string]string{
		"keep_days = 1\nimages = \"yes\"\n":          `c.toml:2: images = "yes"`,
		"image_protocol = \"svg\"\n":                 `c.toml:1: image_protocol = "svg"`,
		"\n\nimages_per_article = 0\n":               "c.toml:3: images_per_article = 0: want 1 to 32",
		"image_max_kb = 999999\n":                    "c.toml:1: image_max_kb = 999999",
		"images_per_article = 40\nimages = \"on\"\n": "c.toml:1: images_per_article = 40",
	} {
		if _, err := parseConfig("c.toml", []byte(text)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("parseConfig(%q) = %v, want %q…", text, err, want)
		}
	}
}
