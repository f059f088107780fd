#!/usr/bin/env bash
# kafka-ha.local/local-path-provisioner:<version>: Rancher's local-path-provisioner
# (versions.json `localPathProvisioner`) as a static binary at /usr/bin/local-path-provisioner,
# on PATH, like the upstream image (manifests run `local-path-provisioner start ...`).
# Its helper pods (mkdir/rm of volume directories) use kafka-ha.local/busybox (../busybox).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
ver="$(pinned localPathProvisioner)"
exec bash "$images_dir/go-image.sh" local-path-provisioner "kafka-ha.local/local-path-provisioner:$ver" \
  github.com/rancher/local-path-provisioner "$ver" github.com/rancher/local-path-provisioner \
  /usr/bin/local-path-provisioner "-s -w -X main.VERSION=$ver" \
  --change 'ENV PATH=/usr/bin:/bin' --change 'CMD ["local-path-provisioner"]'
