package main

import (
	"bufio"
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/perchdata/perch/workspace/plan"
)

// TestConfirmGolden: the interactive confirmation names every destructive
// change and asks for each name; the transcripts are golden files.
func TestConfirmGolden(t *testing.T) {
	destructive := []*plan.Change{
		{ID: "cleanup:events__old", Resource: "events__old", Action: plan.Delete, Method: plan.MethodCleanup, Risk: plan.Destroys,
			Reasons: []string{"backup kept by the previous deploy for revert; dropped at the next deploy"}},
		{ID: "change:events", Resource: "events", Action: plan.Update, Method: plan.MethodAlter, Risk: plan.Destroys, Destructive: true,
			Reasons: []string{"column referrer dropped: its data is destroyed"}},
	}
	tests := []struct {
		golden    string
		stdin     string
		wantNames []string
	}{
		{"confirm_all.golden", "yes\nevents__old\nevents\n", []string{"events__old", "events"}},
		{"confirm_second_missing.golden", "yes\nevents__old\nevent\n", nil},
		{"confirm_no.golden", "no\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var out bytes.Buffer
			names, err := confirm(&out, bufio.NewReader(strings.NewReader(tt.stdin)), destructive)
			if tt.wantNames == nil && !errors.Is(err, errReported) {
				t.Errorf("err = %v, want the apply cancelled", err)
			}
			if !reflect.DeepEqual(names, tt.wantNames) {
				t.Errorf("names = %v, want %v", names, tt.wantNames)
			}
			workspaceGolden(t, tt.golden, out.Bytes())
		})
	}
}
