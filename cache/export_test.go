package cache

// RankWindow is how many of the newest matches Search ranks, for tests
// that need more matches than that.
const RankWindow = rankWindow
