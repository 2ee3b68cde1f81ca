package models

import (
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// countTTL is how long a list's total (or the turma names) may be
// reused. Writes through this process clear the cache at once; another
// replica's writes show within countTTL. Counting a million rows on every
// page request is what this avoids.
const countTTL = 2 * time.Second

// countCache keeps recent list totals (X-Total-Count) by filter, and the
// turma names the list screen offers.
type countCache struct {
	// inflight lets one request count a filter while the others that need
	// the same total wait for it, instead of all counting at once.
	inflight singleflight.Group
	mu       sync.Mutex
	entries  map[string]countEntry
	turmas   []string
	turmasAt time.Time
	// gen counts the clears, so a reader that keeps numbers of its own
	// (the home page's current week) knows a write came after them.
	gen uint64
}

type countEntry struct {
	n  int64
	at time.Time
}

func newCountCache() *countCache { return &countCache{entries: map[string]countEntry{}} }

func (c *countCache) get(key string) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || time.Since(e.at) > countTTL {
		return 0, false
	}
	return e.n, true
}

func (c *countCache) put(key string, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) > 10000 { // many distinct searches: start over rather than grow
		clear(c.entries)
	}
	c.entries[key] = countEntry{n: n, at: time.Now()}
}

func (c *countCache) getTurmas() ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.turmas, c.turmas != nil && time.Since(c.turmasAt) <= countTTL
}

func (c *countCache) putTurmas(turmas []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.turmas, c.turmasAt = turmas, time.Now()
}

// clear forgets everything, after a student was added, changed or removed.
func (c *countCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
	c.turmas = nil
	c.gen++
}

// generation is how many times the cache was cleared.
func (c *countCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}
