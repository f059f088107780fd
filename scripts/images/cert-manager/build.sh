#!/usr/bin/env bash
# kafka-ha.local/cert-manager-{controller,webhook,cainjector}:<version>: cert-manager
# (github.com/cert-manager/cert-manager, versions.json `certManager`) as static binaries in empty
# images, entry points as upstream's (/app/cmd/<component>/<component>), user 1000:1000 like
# upstream's. The main packages are ours (src/, thin wiring over the library: README.md says why);
# everything they run is the library module from the Go proxy.
#   build.sh [controller|webhook|cainjector ...]   (default: all three) prints one ref per line
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
ver="$(pinned certManager)"
components=("$@"); [ ${#components[@]} -gt 0 ] || components=(controller webhook cainjector)
ldflags="-s -w -X github.com/cert-manager/cert-manager/pkg/util.AppVersion=$ver -X github.com/cert-manager/cert-manager/pkg/util.AppGitCommit=kafka-ha"
for c in "${components[@]}"; do
  case "$c" in controller|webhook|cainjector) ;; *) die "unknown cert-manager component '$c' (controller, webhook, cainjector)" ;; esac
  bash "$images_dir/go-image.sh" "cert-manager-$c" "kafka-ha.local/cert-manager-$c:$ver" \
    github.com/cert-manager/cert-manager "$ver" "github.com/cert-manager/cert-manager/kafka-ha/cmd/$c" \
    "/app/cmd/$c/$c" "$ldflags" --src "$images_dir/cert-manager/src" \
    --change 'USER 1000:1000' --change "ENTRYPOINT [\"/app/cmd/$c/$c\"]"
done
