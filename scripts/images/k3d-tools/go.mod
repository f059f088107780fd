module kafka-ha.local/k3d-tools

go 1.22
