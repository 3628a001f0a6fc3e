package fetch

// defaultExtract is the extractor a Syncer uses when none is set.
func defaultExtract(pageURL string, page []byte) (Article, error) {
	return Extract(pageURL, page)
}
