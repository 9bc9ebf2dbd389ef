package live

import (
	"os"
	"testing"

	"github.com/perchdata/perch/workspace/clickhousetest"
)

// srv is this package's private ClickHouse server.
var srv *clickhousetest.Server

func TestMain(m *testing.M) { os.Exit(clickhousetest.Run(m, &srv)) }
