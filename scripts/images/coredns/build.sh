#!/usr/bin/env bash
# kafka-ha.local/coredns:<version>: CoreDNS (github.com/coredns/coredns, versions.json `coredns`)
# as a static binary /coredns in an empty image, entry point /coredns like the upstream image.
# It runs as root (the upstream image uses a non-root user plus a file capability to bind :53;
# root with the NET_BIND_SERVICE capability the cluster's manifest grants works everywhere).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
ver="$(pinned coredns)"
exec bash "$images_dir/go-image.sh" coredns "kafka-ha.local/coredns:${ver#v}" github.com/coredns/coredns "$ver" \
  github.com/coredns/coredns /coredns "-s -w -X github.com/coredns/coredns/coremain.GitCommit=kafka-ha-$ver" \
  --change 'ENTRYPOINT ["/coredns"]' --change 'EXPOSE 53 53/udp'
