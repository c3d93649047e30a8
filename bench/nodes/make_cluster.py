#!/usr/bin/env python3
"""Writes a kube-emulator --cluster-file with NODES nodes and PODS running pods (issue 6 bench).

Every tenth node has 4 NVIDIA GPUs; nodes spread over three zones of two regions with AWS
providerIDs; pods are seeded as already Running on their node (the emulator keeps a seeded
pod's status), spread evenly, each requesting 100m-400m CPU and 128-512 MiB.

    make_cluster.py NODES PODS > cluster.yaml
"""
import json
import sys


def main():
    nodes, pods = int(sys.argv[1]), int(sys.argv[2])
    out = sys.stdout
    for ns in ("default", "kube-system", "streamspace", "bench"):
        out.write(json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}))
        out.write("\n---\n")
    zones = [("us-east-1", "us-east-1a"), ("us-east-1", "us-east-1b"), ("eu-west-1", "eu-west-1a")]
    names = []
    for i in range(nodes):
        name = f"node-{i:04d}"
        names.append(name)
        region, zone = zones[i % len(zones)]
        gpu = i % 10 == 0
        labels = {
            "kubernetes.io/hostname": name,
            "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": "g5.12xlarge" if gpu else "m5.2xlarge",
            "topology.kubernetes.io/region": region,
            "topology.kubernetes.io/zone": zone,
            "streamspace.io/pool": "gpu" if gpu else "general",
        }
        capacity = {"cpu": "48" if gpu else "8", "memory": "192Gi" if gpu else "32Gi",
                    "pods": "110"}
        if gpu:
            labels.update({"nvidia.com/gpu.present": "true", "nvidia.com/gpu.product": "NVIDIA-A10G"})
            capacity["nvidia.com/gpu"] = "4"
        node = {"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "labels": labels},
                "spec": {"providerID": f"aws:///{zone}/i-{i:017x}"},
                "status": {"capacity": capacity}}
        out.write(json.dumps(node))
        out.write("\n---\n")
    for j in range(pods):
        node = names[j % nodes]
        user = f"user{j % 500:03d}"
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": f"session-{j:05d}", "namespace": "bench",
                            "labels": {"app": "session", "streamspace.io/user": user}},
               "spec": {"nodeName": node,
                        "containers": [{"name": "desktop", "image": "lscr.io/linuxserver/firefox",
                                        "resources": {"requests": {
                                            "cpu": f"{100 * (1 + j % 4)}m",
                                            "memory": f"{128 * (1 + j % 4)}Mi"}}}]},
               "status": {"phase": "Running",
                          "conditions": [{"type": "Ready", "status": "True"}]}}
        out.write(json.dumps(pod))
        out.write("\n---\n")


if __name__ == "__main__":
    main()
