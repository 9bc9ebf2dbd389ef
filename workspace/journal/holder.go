package journal

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/perchdata/perch/workspace/localserver"
)

// Holder is who runs an apply: the process, where, since when, and its last
// heartbeat (server time, so clocks of different machines never compare).
type Holder struct {
	Deployment string `json:"deployment"`
	Host       string `json:"host"`
	User       string `json:"user,omitempty"`
	PID        int    `json:"pid"`
	// Machine identifies the process table the PID belongs to (boot id and
	// PID namespace); only a holder with the same Machine can be checked
	// for being alive by its PID. Empty when unknown.
	Machine string `json:"machine,omitempty"`
	// ProcStart is the process's start time in clock ticks after boot, so a
	// reused PID is not taken for the holder. 0 when unknown.
	ProcStart uint64    `json:"proc_start,omitempty"`
	Started   time.Time `json:"started"`
	// Heartbeat is the last heartbeat and Age how long ago it was, both as
	// the server measures them (filled by ReadHolder).
	Heartbeat time.Time     `json:"heartbeat"`
	Age       time.Duration `json:"-"`
}

// Self describes the running process as the holder of deployment.
func Self(deployment string) Holder {
	h := Holder{Deployment: deployment, PID: os.Getpid(), Machine: machine(), ProcStart: procStart(os.Getpid()), Started: time.Now().UTC()}
	h.Host, _ = os.Hostname()
	if u, err := user.Current(); err == nil {
		h.User = u.Username
	}
	return h
}

// String names the holder for messages: deployment, process, age.
func (h Holder) String() string {
	who := fmt.Sprintf("pid %d on %s", h.PID, h.Host)
	if h.User != "" {
		who = h.User + ", " + who
	}
	s := fmt.Sprintf("deployment %s (%s, started %s", h.Deployment, who, h.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
	if !h.Heartbeat.IsZero() {
		s += fmt.Sprintf(", last heartbeat %s ago", h.Age.Round(time.Second))
	}
	return s + ")"
}

// Gone reports whether the holder provably stopped: its process is gone
// from this machine, or its heartbeat is older than lease. why says which.
func (h Holder) Gone(lease time.Duration) (gone bool, why string) {
	if h.Machine != "" && h.Machine == machine() {
		if !localserver.Alive(h.PID) {
			return true, fmt.Sprintf("process %d is gone", h.PID)
		}
		if h.ProcStart != 0 && procStart(h.PID) != h.ProcStart {
			return true, fmt.Sprintf("process %d is gone (its pid was reused)", h.PID)
		}
		return false, ""
	}
	if h.Heartbeat.IsZero() {
		return false, ""
	}
	if h.Age > lease {
		return true, fmt.Sprintf("no heartbeat for %s (lease %s)", h.Age.Round(time.Second), lease)
	}
	return false, ""
}

// machine identifies this process table: the boot id and PID namespace on
// Linux, "" elsewhere (then only heartbeats tell whether a holder is gone).
func machine() string {
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(boot)) + "/" + ns
}

// procStart returns field 22 of /proc/PID/stat (start time in clock ticks), or 0.
func procStart(pid int) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	// Fields after the command: state is field 3, start time field 22.
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return 0
	}
	n, _ := strconv.ParseUint(f[19], 10, 64)
	return n
}
