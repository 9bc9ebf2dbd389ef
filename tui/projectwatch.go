package tui

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/fsnotify/fsnotify"

	"github.com/perchdata/perch/datafiles"
)

// projectWatcher reports edits to the project's datafiles made in any editor,
// so every view follows the files on disk without a restart. fsnotify is not
// recursive: every folder of the project is watched, and new folders are
// added as they appear.
type projectWatcher struct {
	w *fsnotify.Watcher
	// settle is how long a burst of events (an editor's write, rename and
	// chmod) is coalesced into one reload.
	settle time.Duration
}

// projectChangedMsg says datafiles of the project changed on disk.
type projectChangedMsg struct {
	// paths are the datafiles that changed, sorted.
	paths []string
}

// newProjectWatcher watches every folder under root, skipping the ones the
// loader skips (.git, .perch, node_modules, hidden folders).
func newProjectWatcher(root string) (*projectWatcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	pw := &projectWatcher{w: w, settle: 150 * time.Millisecond}
	if _, err := pw.addTree(root); err != nil {
		w.Close()
		return nil, err
	}
	return pw, nil
}

// addTree watches every folder under root and returns the datafiles
// already in them (a folder created with files in it, or filled before its
// watch was added, would otherwise go unnoticed).
func (pw *projectWatcher) addTree(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			if _, ok := datafiles.KindOf(path); ok {
				files = append(files, path)
			}
			return nil
		}
		if path != root && skipDir(d.Name()) {
			return filepath.SkipDir
		}
		return pw.w.Add(path)
	})
	return files, err
}

func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules"
}

// next waits for the next change to a datafile and returns projectChangedMsg
// once the burst of events has settled. It returns nil when the watcher is closed.
func (pw *projectWatcher) next() tea.Cmd {
	return func() tea.Msg {
		changed := map[string]bool{}
		var settle <-chan time.Time
		mark := func(path string) {
			changed[path] = true
			settle = time.After(pw.settle)
		}
		for {
			select {
			case ev, ok := <-pw.w.Events:
				if !ok {
					return nil
				}
				if ev.Op&fsnotify.Create != 0 {
					if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() && !skipDir(fi.Name()) {
						files, _ := pw.addTree(ev.Name) // a folder that vanished again needs no watch
						for _, f := range files {
							mark(f)
						}
					}
				}
				if _, ok := datafiles.KindOf(ev.Name); ok && ev.Op != fsnotify.Chmod {
					mark(ev.Name)
				}
			case _, ok := <-pw.w.Errors:
				if !ok {
					return nil
				}
			case <-settle:
				paths := make([]string, 0, len(changed))
				for p := range changed {
					paths = append(paths, p)
				}
				sort.Strings(paths)
				return projectChangedMsg{paths: paths}
			}
		}
	}
}

// Close stops watching.
func (pw *projectWatcher) Close() error { return pw.w.Close() }
