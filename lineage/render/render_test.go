package render

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/perchdata/perch/lineage"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal([]byte(got), want) {
		t.Errorf("%s differs from golden:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestTextGoldens(t *testing.T) {
	g := flappyGraph(t)
	focus, err := g.Focus("snapshot")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file  string
		graph *lineage.Graph
		width int
		mode  Mode
	}{
		{"flappy_wide.txt", g, 200, Layered},
		{"flappy_narrow.txt", g, 60, Tree},
		{"flappy_focus.txt", focus, 200, Layered},
		{"flappy_focus_narrow.txt", focus, 40, Tree},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := Text(tt.graph, tt.width)
			if s := New(tt.graph, Options{Width: tt.width}); s.Mode() != tt.mode {
				t.Errorf("mode %s, want %s", s.Mode(), tt.mode)
			}
			for i, line := range strings.Split(strings.TrimRight(got, "\n"), "\n") {
				if n := len([]rune(line)); n > tt.width {
					t.Errorf("line %d is %d wide, over %d", i+1, n, tt.width)
				}
			}
			golden(t, tt.file, got)
		})
	}
}

// TestViewportIsACrop draws windows of the scene and checks each equals the
// same window cut from the full drawing: scrolling draws only the visible
// part, and draws it the same.
func TestViewportIsACrop(t *testing.T) {
	g := flappyGraph(t)
	s := New(g, Options{Mode: Layered})
	w, h := s.Size()
	full := s.Draw(Viewport{W: w, H: h}, State{})
	for _, v := range []Viewport{{0, 0, 30, 8}, {17, 3, 40, 10}, {w - 25, h - 6, 25, 6}, {90, 10, 50, 12}, {-5, -2, 20, 5}} {
		c := s.Draw(v, State{})
		for y := 0; y < v.H; y++ {
			for x := 0; x < v.W; x++ {
				if got, want := c.At(x, y), full.At(v.X+x, v.Y+y); got != want {
					t.Fatalf("viewport %v cell (%d,%d) = %q, full drawing has %q", v, x, y, got.R, want.R)
				}
			}
		}
	}
}

func TestStylesMarkSelectionAndHighlight(t *testing.T) {
	g := flappyGraph(t)
	s := New(g, Options{Mode: Layered})
	w, h := s.Size()
	st := State{Selected: "snapshot", Highlight: g.Impact("snapshot")}
	c := s.Draw(Viewport{W: w, H: h}, st)
	for _, tt := range []struct {
		name  string
		class Class
		flags Style
		not   Style
	}{
		{"snapshot", ClassCopy, Selected | Highlight, Dim},
		{"mv_player_stats", ClassDatasource, Highlight, Dim | Selected},
		{"api_leaderboard", ClassEndpoint, Dim, Highlight},
		{"system.numbers", ClassExternal, Dim, Highlight},
	} {
		r, ok := s.Rect(tt.name)
		if !ok {
			t.Fatalf("no rect for %s", tt.name)
		}
		cell := c.At(r.X+2, r.CenterY())
		if cell.R != Glyph(g.Node(tt.name).Kind) {
			t.Errorf("%s: glyph %q", tt.name, cell.R)
		}
		if cell.S.Class() != tt.class || !cell.S.Has(tt.flags) || cell.S&tt.not != 0 {
			t.Errorf("%s: style %016b, want class %d with %016b and without %016b", tt.name, cell.S, tt.class, tt.flags, tt.not)
		}
	}
	r, _ := s.Rect("snapshot")
	if c.At(r.X, r.Y).R != '┏' {
		t.Errorf("selected box corner %q, want ┏", c.At(r.X, r.Y).R)
	}
	// The edge into the selection is highlighted; one between dimmed nodes is not.
	in := c.At(r.X-1, r.CenterY())
	if in.R != '▶' || in.S.Class() != ClassEdge || !in.S.Has(Highlight) {
		t.Errorf("arrow into snapshot: %q %016b", in.R, in.S)
	}
	lb, _ := s.Rect("api_leaderboard")
	out := c.At(lb.X+lb.W, lb.CenterY())
	if out.S.Class() != ClassEdge || !out.S.Has(Dim) {
		t.Errorf("edge out of api_leaderboard: %q %016b, want dimmed", out.R, out.S)
	}
}

func TestSpansAndStylist(t *testing.T) {
	g := flappyGraph(t)
	s := New(g, Options{Mode: Tree})
	c := s.Draw(Viewport{W: 30, H: 3}, State{Selected: "events_api"})
	spans := c.Spans(1)
	var text strings.Builder
	for _, sp := range spans {
		text.WriteString(sp.Text)
	}
	if got := text.String(); len([]rune(got)) != 30 || !strings.HasPrefix(got, "└─▶ ▣ events_api") {
		t.Errorf("spans of row 1 = %q", got)
	}
	if len(spans) < 2 || spans[0].Style.Class() != ClassEdge || spans[1].Style.Class() != ClassDatasource || !spans[1].Style.Has(Selected) {
		t.Errorf("spans %+v", spans)
	}
	out := c.Render(func(st Style, text string) string {
		if st.Has(Selected) {
			return "<" + text + ">"
		}
		return text
	})
	if !strings.Contains(out, "<▣ events_api>") {
		t.Errorf("stylist output %q", out)
	}
}

func TestNodeAtAndNeighbors(t *testing.T) {
	g := flappyGraph(t)
	s := New(g, Options{Mode: Layered})
	for _, n := range g.Nodes {
		r, _ := s.Rect(n.Name)
		for _, p := range [][2]int{{r.X, r.Y}, {r.X + r.W - 1, r.Y + r.H - 1}, {r.X + 2, r.CenterY()}} {
			if got, ok := s.NodeAt(p[0], p[1]); !ok || got != n.Name {
				t.Errorf("NodeAt(%d,%d) = %q, want %s", p[0], p[1], got, n.Name)
			}
		}
		if got, ok := s.NodeAt(r.X-1, r.CenterY()); ok {
			t.Errorf("NodeAt left of %s = %s", n.Name, got)
		}
	}
	tests := []struct {
		from string
		dir  Direction
		want string
	}{
		{"events_api", Left, "kafka_events"},
		{"events_api", Right, "mat_player_stats"},
		{"mv_player_stats", Right, "api_last_played_games"},
		{"api_leaderboard", Right, "api_player_stats"},
		{"api_player_stats", Left, "api_leaderboard"},
		{"api_last_played_games", Down, "api_leaderboard"},
		{"api_leaderboard", Up, "api_last_played_games"},
		{"kafka_events", Left, ""},
		{"kafka_events", Up, ""},
	}
	for _, tt := range tests {
		got, ok := s.Neighbor(tt.from, tt.dir)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Neighbor(%s, %d) = %q %v, want %q", tt.from, tt.dir, got, ok, tt.want)
		}
	}
	tree := New(g, Options{Mode: Tree})
	treeTests := []struct {
		from string
		dir  Direction
		want string
	}{
		{"kafka_events", Down, "events_api"},
		{"events_api", Up, "kafka_events"},
		{"mv_player_stats", Right, "api_last_played_games"},
		{"api_player_stats", Left, "api_leaderboard"},
		{"kafka_events", Left, ""},
	}
	for _, tt := range treeTests {
		got, ok := tree.Neighbor(tt.from, tt.dir)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("tree Neighbor(%s, %d) = %q %v, want %q", tt.from, tt.dir, got, ok, tt.want)
		}
	}
	if got, ok := tree.NodeAt(4, 1); !ok || got != "events_api" {
		t.Errorf("tree NodeAt(4,1) = %q", got)
	}
	if _, ok := tree.NodeAt(0, 1); ok {
		t.Error("tree NodeAt on the connector found a node")
	}
}

func TestLabelsMatchDrawing(t *testing.T) {
	g := flappyGraph(t)
	for _, mode := range []Mode{Layered, Tree} {
		s := New(g, Options{Mode: mode})
		w, h := s.Size()
		c := s.Draw(Viewport{W: w, H: h}, State{})
		labels := s.labels()
		if len(labels) != len(g.Nodes) {
			t.Fatalf("%s: %d labels for %d nodes", mode, len(labels), len(g.Nodes))
		}
		for _, l := range labels {
			var got []rune
			for x := l.X; x < l.X+l.W; x++ {
				got = append(got, c.At(x, l.Y).R)
			}
			if want := string(Glyph(l.Kind)) + " " + l.Name; string(got) != want {
				t.Errorf("%s: label at (%d,%d) reads %q, want %q", mode, l.X, l.Y, string(got), want)
			}
		}
	}
}

func TestLongNamesAndSides(t *testing.T) {
	long := strings.Repeat("x", 60)
	g, err := lineage.NewGraph([]*lineage.Node{
		{Name: long, Kind: lineage.KindDatasource},
		{Name: "new_pipe", Kind: lineage.KindPipe, Side: lineage.LocalOnly},
		{Name: "gone", Kind: lineage.KindEndpoint, Side: lineage.RemoteOnly},
	}, []lineage.Edge{{From: long, To: "new_pipe", Kind: lineage.EdgeReads, Side: lineage.LocalOnly}})
	if err != nil {
		t.Fatal(err)
	}
	out := Text(g, 0)
	for _, want := range []string{strings.Repeat("x", 39) + "…", "○ new_pipe (local)", "◉ gone (remote)"} {
		if !strings.Contains(out, want) {
			t.Errorf("drawing lacks %q:\n%s", want, out)
		}
	}
	s := New(g, Options{Mode: Layered})
	r, _ := s.Rect("new_pipe")
	if c := s.Draw(Viewport{W: 200, H: 20}, State{}); !c.At(r.X+2, r.CenterY()).S.Has(LocalOnly) {
		t.Error("local-only node not flagged")
	}
}

func TestEmptyGraph(t *testing.T) {
	g, _ := lineage.NewGraph(nil, nil)
	if out := Text(g, 80); out != "" {
		t.Errorf("empty graph drew %q", out)
	}
	s := New(g, Options{})
	if _, ok := s.NodeAt(0, 0); ok {
		t.Error("node in an empty graph")
	}
}

// TestStyledGolden pins the styles of a drawing with a selection and its
// impact highlighted, through a Stylist that writes each style as a tag.
func TestStyledGolden(t *testing.T) {
	g := flappyGraph(t)
	f, err := g.Focus("api_leaderboard")
	if err != nil {
		t.Fatal(err)
	}
	s := New(f, Options{Mode: Layered})
	w, h := s.Size()
	st := State{Selected: "mv_player_stats", Highlight: f.Impact("mv_player_stats")}
	names := map[Class]string{ClassBlank: "", ClassEdge: "e", ClassDatasource: "ds", ClassPipe: "p", ClassEndpoint: "ep",
		ClassMaterialization: "mv", ClassCopy: "cp", ClassSink: "sk", ClassConnection: "cn", ClassExternal: "ex"}
	out := s.Draw(Viewport{W: w, H: h}, st).Render(func(style Style, text string) string {
		tag := names[style.Class()]
		for _, fl := range []struct {
			f Style
			s string
		}{{Selected, "!"}, {Highlight, "+"}, {Dim, "-"}} {
			if style.Has(fl.f) {
				tag += fl.s
			}
		}
		if tag == "" {
			return text
		}
		return "<" + tag + ">" + text + "</>"
	})
	golden(t, "flappy_styled.txt", out+"\n")
}

func TestCycleDrawsBackArrow(t *testing.T) {
	g, err := lineage.NewGraph([]*lineage.Node{
		{Name: "a", Kind: lineage.KindPipe}, {Name: "b", Kind: lineage.KindPipe}, {Name: "c", Kind: lineage.KindPipe},
	}, []lineage.Edge{{From: "a", To: "b"}, {From: "b", To: "c"}, {From: "c", To: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	out := Text(g, 0)
	if !strings.Contains(out, "◀") || strings.Count(out, "▶") != 2 {
		t.Errorf("cycle drawing wants one back arrow and two forward:\n%s", out)
	}
	tree := New(g, Options{Mode: Tree})
	// a, b under it, c under b, and a again as a reference closing the cycle
	if _, h := tree.Size(); h != 4 || !strings.Contains(tree.Draw(Viewport{W: 20, H: 4}, State{}).String(), "○ a ↑") || !strings.Contains(Text(g, 9), "    └─▶ …") {
		t.Errorf("tree of a pure cycle:\n%s", Text(g, 5))
	}
}

// TestRandomGraphsDraw draws random graphs (cycles, self-loops, fan-in and
// fan-out) in both modes and checks every node's label is drawn where
// Labels says, that viewports are crops, and that nothing panics.
func TestRandomGraphsDraw(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	kinds := lineage.Kinds()
	for round := 0; round < 30; round++ {
		n := 1 + rng.Intn(30)
		var nodes []*lineage.Node
		for i := 0; i < n; i++ {
			nodes = append(nodes, &lineage.Node{Name: fmt.Sprintf("n%02d", i), Kind: kinds[rng.Intn(len(kinds))]})
		}
		seen := map[[2]int]bool{}
		var edges []lineage.Edge
		for i := 0; i < rng.Intn(3*n); i++ {
			a, b := rng.Intn(n), rng.Intn(n)
			if seen[[2]int{a, b}] {
				continue
			}
			seen[[2]int{a, b}] = true
			edges = append(edges, lineage.Edge{From: nodes[a].Name, To: nodes[b].Name, Kind: lineage.EdgeReads})
		}
		g, err := lineage.NewGraph(nodes, edges)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []Mode{Layered, Tree} {
			s := New(g, Options{Mode: mode})
			w, h := s.Size()
			full := s.Draw(Viewport{W: w, H: h}, State{Selected: nodes[0].Name, Highlight: g.Impact(nodes[0].Name)})
			for _, l := range s.labels() {
				if got := full.At(l.X+2, l.Y).R; got != []rune(l.Name)[0] {
					t.Fatalf("round %d %s: label %s at (%d,%d) reads %q", round, mode, l.Name, l.X, l.Y, got)
				}
				if name, ok := s.NodeAt(l.X, l.Y); !ok || name != l.Name {
					t.Fatalf("round %d %s: NodeAt on %s's label = %q", round, mode, l.Name, name)
				}
				for _, d := range []Direction{Up, Down, Left, Right} {
					if next, ok := s.Neighbor(l.Name, d); ok && g.Node(next) == nil {
						t.Fatalf("neighbor %q unknown", next)
					}
				}
			}
			v := Viewport{X: rng.Intn(w + 1), Y: rng.Intn(h + 1), W: 1 + rng.Intn(40), H: 1 + rng.Intn(20)}
			c := s.Draw(v, State{Selected: nodes[0].Name, Highlight: g.Impact(nodes[0].Name)})
			for y := 0; y < v.H; y++ {
				for x := 0; x < v.W; x++ {
					if c.At(x, y) != full.At(v.X+x, v.Y+y) {
						t.Fatalf("round %d %s: viewport %v differs from the full drawing at (%d,%d)", round, mode, v, x, y)
					}
				}
			}
		}
	}
}

func TestBeside(t *testing.T) {
	g := flappyGraph(t)
	local, _ := g.Focus("events_api")
	remote, _ := g.Focus("snapshot")
	a := New(local, Options{Mode: Tree}).Draw(Viewport{W: 30, H: 4}, State{})
	b := New(remote, Options{Mode: Tree}).Draw(Viewport{W: 25, H: 6}, State{Selected: "kafka_events"})
	c := Beside(a, b, 2)
	if c.W != 57 || c.H != 6 {
		t.Fatalf("size %dx%d", c.W, c.H)
	}
	for y := 0; y < c.H; y++ {
		for x := 0; x < c.W; x++ {
			want := Cell{R: ' '}
			switch {
			case x < 30:
				want = a.At(x, y)
			case x >= 32:
				want = b.At(x-32, y)
			}
			if c.At(x, y) != want {
				t.Fatalf("cell (%d,%d) = %q, want %q", x, y, c.At(x, y).R, want.R)
			}
		}
	}
	if !strings.HasPrefix(c.Line(0), "⌁ kafka_events") || !strings.Contains(c.Line(0), "  ⌁ kafka_events") {
		t.Errorf("line 0 = %q", c.Line(0))
	}
}

func TestTreeConnectorStyles(t *testing.T) {
	g := flappyGraph(t)
	s := New(g, Options{Mode: Tree})
	st := State{Selected: "api_player_stats", Highlight: g.Impact("api_player_stats")}
	w, h := s.Size()
	c := s.Draw(Viewport{W: w, H: h}, st)
	r, ok := s.Rect("api_player_stats")
	if !ok {
		t.Fatal("no rect")
	}
	// "            │   └─▶ ◉ api_player_stats": the │ continues
	// mv_player_stats' edges (dimmed), └─▶ is api_leaderboard's edge into
	// the selection (highlighted).
	own := c.At(r.X-4, r.Y)
	if own.R != '└' || !own.S.Has(Highlight) {
		t.Errorf("own connector %q %016b", own.R, own.S)
	}
	cont := c.At(r.X-8, r.Y)
	if cont.R != '│' || cont.S.Has(Highlight) || !cont.S.Has(Dim) {
		t.Errorf("ancestor column %q %016b", cont.R, cont.S)
	}
}
