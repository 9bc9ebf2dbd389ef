package datafiles

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// LoadOptions change how a project is loaded.
type LoadOptions struct {
	// Env looks up $VAR references in single-line values; nil leaves them
	// as written.
	Env func(string) (string, bool)
}

// Load reads every datafile under dir (any layout; .git, .perch,
// node_modules and hidden folders are skipped), resolving INCLUDE and
// replacing $VAR from the environment. Every problem found becomes a
// diagnostic of the project; the error is only for a dir that cannot be read.
func Load(dir string) (*Project, error) {
	return LoadWith(dir, LoadOptions{Env: osEnv})
}

// LoadWith is Load with options.
func LoadWith(dir string, opts LoadOptions) (*Project, error) {
	root := filepath.Clean(dir)
	if _, err := os.ReadDir(root); err != nil {
		return nil, fmt.Errorf("load project %s: %w", dir, err)
	}
	p := NewProject(root)
	files, extras, diags := walkDatafiles(root)
	p.Diagnostics = append(p.Diagnostics, diags...)
	p.Files = files
	for _, rel := range extras {
		p.addSideFile(rel)
	}

	l := &loader{root: root, env: opts.Env, cache: map[string]*cachedFile{}}
	results := l.parseAll(files)

	var markers []marker
	for i, r := range results {
		rel := files[i]
		if r.err != nil {
			p.Diagnostics = append(p.Diagnostics, Diagnostic{Pos: Pos{rel, 1, 1}, Severity: Error, Message: fmt.Sprintf("cannot read file: %v", r.err)})
			continue
		}
		p.Sources[rel] = r.src
		p.Diagnostics = append(p.Diagnostics, r.diags...)
		markers = append(markers, r.markers...)
		for _, inc := range r.includes {
			p.Includers[inc] = append(p.Includers[inc], rel)
		}
		p.register(rel, r.resource)
	}
	gen, genDiags := decideGeneration(markers)
	p.Generation = gen
	p.Diagnostics = append(p.Diagnostics, genDiags...)
	p.Diagnostics = append(p.Diagnostics, p.crossReferences()...)
	for inc := range p.Includers {
		sort.Strings(p.Includers[inc])
	}
	sortDiagnostics(p.Diagnostics)
	return p, nil
}

// skipDir reports whether the walk skips a folder.
func skipDir(name string) bool {
	return name == ".git" || name == ".perch" || name == "node_modules" || strings.HasPrefix(name, ".")
}

// walkDatafiles lists the datafiles under root as sorted slash paths
// relative to root, and the fixture and data test files beside them.
// Folders that cannot be read become diagnostics.
func walkDatafiles(root string) ([]string, []string, []Diagnostic) {
	var files, extras []string
	var diags []Diagnostic
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			diags = append(diags, Diagnostic{Pos: Pos{rel, 1, 1}, Severity: Error, Message: fmt.Sprintf("cannot read: %v", err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != root && skipDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if _, ok := KindOf(d.Name()); ok {
			files = append(files, rel)
		} else if sideFileKind(rel) != "" {
			extras = append(extras, rel)
		}
		return nil
	})
	sort.Strings(files)
	sort.Strings(extras)
	return files, extras, diags
}

// sideFileKind says whether a file is fixture data ("fixture") or a data
// test ("test") by its folder and extension, or "".
func sideFileKind(rel string) string {
	dir, ext := path.Base(path.Dir(rel)), path.Ext(rel)
	switch {
	case dir == "fixtures" && (ext == ".ndjson" || ext == ".csv"):
		return "fixture"
	case dir == "tests" && (ext == ".yaml" || ext == ".yml"):
		return "test"
	}
	return ""
}

// addSideFile records a fixture or data test file under the name of the
// resource it belongs to (the first one found wins, paths being sorted).
func (p *Project) addSideFile(rel string) {
	name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	m := p.Fixtures
	if sideFileKind(rel) == "test" {
		m = p.DataTests
	}
	if _, ok := m[name]; !ok {
		m[name] = rel
	}
}

// loader reads and parses the files of one project, sharing the text of
// .incl files between the goroutines that include them.
type loader struct {
	root  string
	env   func(string) (string, bool)
	mu    sync.Mutex
	cache map[string]*cachedFile
	// buffers are read buffers reused from file to file (*[]byte).
	buffers sync.Pool
}

// cachedFile is a file read once for every reader.
type cachedFile struct {
	once sync.Once
	src  string
	err  error
}

// read returns the text of the file at the slash path rel (relative to the
// root), reading it at most once.
func (l *loader) read(rel string) (string, error) {
	l.mu.Lock()
	f, ok := l.cache[rel]
	if !ok {
		f = &cachedFile{}
		l.cache[rel] = f
	}
	l.mu.Unlock()
	f.once.Do(func() {
		buf, _ := l.buffers.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		f.src, f.err = readFile(filepath.Join(l.root, filepath.FromSlash(rel)), buf)
		l.buffers.Put(buf)
	})
	return f.src, f.err
}

// include resolves an INCLUDE path relative to the including file's folder,
// then relative to the project root.
func (l *loader) include(from, p string) (string, []byte, error) {
	p = filepath.ToSlash(p)
	candidates := []string{path.Join(path.Dir(from), p), path.Clean(p)}
	for i, c := range candidates {
		if i > 0 && c == candidates[0] {
			continue
		}
		src, err := l.read(c)
		if err == nil {
			return c, []byte(src), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, err
		}
	}
	return "", nil, fmt.Errorf("no such file (looked for %s)", strings.Join(uniq(candidates), " and "))
}

func uniq(s []string) []string {
	var out []string
	for _, x := range s {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// parsed is what parsing one file produced.
type parsed struct {
	src      string
	resource any // *Datasource, *Pipe, *Connection, or nil for .incl
	diags    []Diagnostic
	markers  []marker
	includes []string
	err      error
}

// parseAll reads and parses files with one worker per CPU.
func (l *loader) parseAll(files []string) []parsed {
	results := make([]parsed, len(files))
	workers := min(2*runtime.GOMAXPROCS(0), len(files)) // reads block in syscalls
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = l.parseOne(files[i])
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func (l *loader) parseOne(rel string) parsed {
	src, err := l.read(rel)
	if err != nil {
		return parsed{err: err}
	}
	k, _ := KindOf(rel)
	c := &parseCtx{kind: k, env: l.env, include: l.include}
	r := parsed{src: src}
	switch k {
	case KindDatasource:
		r.resource = c.datasource(rel, r.src)
	case KindPipe:
		r.resource = c.pipe(rel, r.src)
	case KindConnection:
		r.resource = c.connection(rel, r.src)
	default:
		c.mark(GenerationClassic, ".incl file", Pos{rel, 1, 1})
	}
	r.diags, r.markers, r.includes = c.diags, c.markers, c.includes
	return r
}

// register adds a parsed resource, reporting a name that is already taken.
// Data sources and pipes share one namespace (SQL reads either by name);
// connections have their own.
func (p *Project) register(rel string, res any) {
	switch r := res.(type) {
	case *Datasource:
		if other := p.nameOwner(r.Name); other != "" {
			p.duplicate(rel, r.Name, other)
			return
		}
		p.Datasources[r.Name] = r
	case *Pipe:
		if other := p.nameOwner(r.Name); other != "" {
			p.duplicate(rel, r.Name, other)
			return
		}
		p.Pipes[r.Name] = r
	case *Connection:
		if other, ok := p.Connections[r.Name]; ok {
			p.duplicate(rel, r.Name, other.File)
			return
		}
		p.Connections[r.Name] = r
	}
}

// nameOwner returns the file of the data source or pipe called name, or "".
func (p *Project) nameOwner(name string) string {
	if d, ok := p.Datasources[name]; ok {
		return d.File
	}
	if pp, ok := p.Pipes[name]; ok {
		return pp.File
	}
	return ""
}

func (p *Project) duplicate(rel, name, other string) {
	p.Diagnostics = append(p.Diagnostics, Diagnostic{
		Pos:      Pos{rel, 1, 1},
		Severity: Error,
		Message:  fmt.Sprintf("duplicate resource name %q: %s is also defined by %s; rename one of the files (the name is the file name)", name, name, other),
	})
}

// sortDiagnostics orders diagnostics by file, line and column, keeping the
// order of those at one position.
func sortDiagnostics(d []Diagnostic) {
	sort.SliceStable(d, func(i, j int) bool {
		a, b := d[i].Pos, d[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// Resource returns the data source, pipe or connection called name (a
// *Datasource, *Pipe or *Connection), or nil.
func (p *Project) Resource(name string) any {
	if d, ok := p.Datasources[name]; ok {
		return d
	}
	if pp, ok := p.Pipes[name]; ok {
		return pp
	}
	if c, ok := p.Connections[name]; ok {
		return c
	}
	return nil
}

// HasErrors reports whether any diagnostic is an error.
func (p *Project) HasErrors() bool {
	for _, d := range p.Diagnostics {
		if d.Severity == Error {
			return true
		}
	}
	return false
}
