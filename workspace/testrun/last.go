package testrun

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// LastFile is where a project keeps its last test run, under its root.
const LastFile = ".perch/test/last.json"

// SaveLast records rep as the last test run of the project at root.
func SaveLast(root string, rep *Report) error {
	path := filepath.Join(root, filepath.FromSlash(LastFile))
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("record the test run: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("record the test run: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("record the test run: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("record the test run: %w", err)
	}
	return nil
}

// LoadLast reads the last test run of the project at root; nil (and no
// error) when none was recorded.
func LoadLast(root string) (*Report, error) {
	path := filepath.Join(root, filepath.FromSlash(LastFile))
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the last test run: %w", err)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("read the last test run %s: %w", path, err)
	}
	rep.Elapsed = fromMS(rep.ElapsedMS)
	for i := range rep.Stages {
		rep.Stages[i].Elapsed = fromMS(rep.Stages[i].ElapsedMS)
	}
	for _, list := range [][]*Result{rep.Build, rep.Tests} {
		for _, r := range list {
			r.Elapsed = fromMS(r.ElapsedMS)
		}
	}
	return &rep, nil
}

func fromMS(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }
