package fetch

import "errors"

// defaultExtract is the extractor a Syncer uses when none is set.
func defaultExtract(pageURL string, page []byte) (Article, error) {
	return Article{}, errors.New("article extraction is not available yet")
}
