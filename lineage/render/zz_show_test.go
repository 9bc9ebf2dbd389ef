package render

import (
	"fmt"
	"testing"
)

func TestShow(t *testing.T) {
	g := flappyGraph(t)
	fmt.Print(Text(g, 0))
	fmt.Print(Text(g, 60))
	s := New(g, Options{})
	c := s.Draw(Viewport{X: 10, Y: 2, W: 50, H: 12}, State{Selected: "mv_player_stats", Highlight: g.Impact("mv_player_stats")})
	fmt.Print(c.String())
}
