// The cert-manager binaries (controller, webhook, cainjector) as thin main packages over the
// library module github.com/cert-manager/cert-manager, the one the Go module proxy serves (the
// upstream binaries are separate modules that it does not serve: README.md here).
//
// The module path lies under github.com/cert-manager/cert-manager because the library keeps its
// configuration types and webhook plugins in internal/ packages, which Go lets only code under
// that path import (upstream's own cmd/* modules are named the same way).
//
// No require line and no go.sum on purpose: scripts/lib/go-build.sh adds the version pinned in
// scripts/versions.json (`certManager`) to a copy and resolves the rest by minimal version
// selection, checked against the checksum database.
module github.com/cert-manager/cert-manager/kafka-ha

go 1.26
