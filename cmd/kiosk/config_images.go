package main

import (
	"fmt"

	"github.com/kiosk-reader/kiosk/fetch"
)

// Ranges of the picture settings.
const (
	maxImagesPerArticle = 32
	minImageMaxKB       = 16
	maxImageMaxKB       = 20 << 10 // 20 MB: beyond it no news picture is needed
)

// imageProtocols are the values of image_protocol.
var imageProtocols = []string{"auto", "kitty", "iterm2", "sixel", "halfblocks", "none"}

// checkImageSettings checks images, image_protocol, images_per_article and
// image_max_kb; the error starts with the line number.
func checkImageSettings(cfg Config, lines tomlLines) error {
	if cfg.Images != "on" && cfg.Images != "off" {
		return fmt.Errorf("%d: images = %q: want \"on\" or \"off\"", lines.keys["images"], cfg.Images)
	}
	known := false
	for _, p := range imageProtocols {
		known = known || cfg.ImageProtocol == p
	}
	if !known {
		return fmt.Errorf("%d: image_protocol = %q: want one of %q", lines.keys["image_protocol"], cfg.ImageProtocol, imageProtocols)
	}
	if cfg.ImagesPerArticle < 1 || cfg.ImagesPerArticle > maxImagesPerArticle {
		return fmt.Errorf("%d: images_per_article = %d: want 1 to %d", lines.keys["images_per_article"], cfg.ImagesPerArticle, maxImagesPerArticle)
	}
	if cfg.ImageMaxKB < minImageMaxKB || cfg.ImageMaxKB > maxImageMaxKB {
		return fmt.Errorf("%d: image_max_kb = %d: want %d to %d", lines.keys["image_max_kb"], cfg.ImageMaxKB, minImageMaxKB, maxImageMaxKB)
	}
	return nil
}

// pictureOptions are the sync's bounds on pictures from the config.
func (c Config) pictureOptions() fetch.PictureOptions {
	return fetch.PictureOptions{PerArticle: c.ImagesPerArticle, MaxBytes: int64(c.ImageMaxKB) << 10}
}
