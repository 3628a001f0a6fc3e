package ui

// lru is a small least-recently-used cache for renders and articles. It is
// only touched from Update, never from commands.
type lru[K comparable, V any] struct {
	max   int
	items map[K]V
	order []K // oldest first
}

func newLRU[K comparable, V any](size int) *lru[K, V] {
	return &lru[K, V]{max: size, items: make(map[K]V, size)}
}

// get returns the value for k and marks it as recently used.
func (c *lru[K, V]) get(k K) (V, bool) {
	v, ok := c.items[k]
	if ok {
		c.touch(k)
	}
	return v, ok
}

// put stores v under k, evicting the least recently used entry when full.
func (c *lru[K, V]) put(k K, v V) {
	if _, ok := c.items[k]; ok {
		c.items[k] = v
		c.touch(k)
		return
	}
	if len(c.order) >= c.max {
		delete(c.items, c.order[0])
		c.order = append(c.order[:0], c.order[1:]...)
	}
	c.items[k] = v
	c.order = append(c.order, k)
}

func (c *lru[K, V]) touch(k K) {
	for i, o := range c.order {
		if o == k {
			copy(c.order[i:], c.order[i+1:])
			c.order[len(c.order)-1] = k
			return
		}
	}
}
