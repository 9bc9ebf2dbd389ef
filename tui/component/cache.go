package component

// RenderKey identifies one rendering of a pane: its state version, size and
// theme. Equal keys mean equal output.
type RenderKey struct {
	Version       uint64
	Width, Height int
	Theme         string
	Focused       bool
}

// RenderCache remembers a pane's last rendering so an idle frame costs a
// comparison, not a render.
type RenderCache struct {
	key   RenderKey
	out   string
	valid bool
	// Misses counts renders (tests check that idle frames do not render).
	Misses int
}

// Get returns the cached output for k, calling render when k changed.
func (c *RenderCache) Get(k RenderKey, render func() string) string {
	if c.valid && c.key == k {
		return c.out
	}
	c.out = render()
	c.key = k
	c.valid = true
	c.Misses++
	return c.out
}
