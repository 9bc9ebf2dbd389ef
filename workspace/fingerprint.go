package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// Fingerprint is a stable hash of the structure of the database: every
// object's name, kind, stored DDL and columns (perch's bookkeeping tables,
// named _perch*, excluded; its temporary __new/__old tables count). Row counts and sizes are not part of it, so streaming inserts
// do not change it; any DDL does. A plan records it, and apply refuses to
// run when the remote fingerprint differs.
func (s *Snapshot) Fingerprint() string {
	h := sha256.New()
	w := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	w("perch-fingerprint-v1", s.Database)
	for _, name := range s.Names() {
		o := s.Objects[name]
		if strings.HasPrefix(name, PerchPrefix) {
			continue
		}
		w("object", o.Name, string(o.Kind), o.Engine, o.EngineFull, strings.TrimSpace(o.CreateQuery))
		for _, c := range o.Columns {
			w("column", c.Name, c.Type, c.DefaultKind, c.Default, c.Codec, c.Comment)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
