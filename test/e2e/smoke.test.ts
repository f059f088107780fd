// Smoke test of the k3d cluster itself (issue 3): zoned nodes, pod networking across agents through a
// headless Service and cluster DNS, local-path storage, and a single-node KRaft broker from the
// project's Kafka image reached by kafkajs on the host through a NodePort published on 127.0.0.1
// (31090-31099: the highest one free).
// Brings the cluster up when it is not (idempotent), works in its own namespace, deletes it after.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Kafka, logLevel } from "kafkajs";
import {
  ZONES,
  ZONE_LABEL,
  NODE_PORTS,
  SERVER_NODE,
  checkImage,
  clusterUp,
  importImages,
  kubectl,
  nodeContainer,
  nodeExec,
  offline,
  readyNodes,
} from "../../scripts/env/cluster/k3d.js";
import { kafkaImage } from "../../scripts/images/index.js";
import { AdminProbe } from "../helpers/kafka-admin.js";
import { createTopic } from "../helpers/traffic.js";
import { sleep, waitFor, withTimeout } from "../../scripts/lib/wait.js";

const ns = `smoke-${Date.now().toString(36)}`;
const Smoke = suite("cluster smoke");
let busybox = "";
const agents: { name: string; zone: string }[] = [];

const apply = (yaml: string): Promise<string> => kubectl(["apply", "-f", "-"], { input: yaml });
const jsonpath = async (args: string[], path: string): Promise<string> => (await kubectl([...args, "-o", `jsonpath=${path}`])).trim();

async function podFinished(name: string, timeoutMs: number): Promise<string> {
  const phase = await waitFor(
    async () => {
      const p = await jsonpath(["-n", ns, "get", "pod", name], "{.status.phase}");
      return p === "Succeeded" || p === "Failed" ? p : undefined;
    },
    { what: `pod ${name} to finish`, timeoutMs, intervalMs: 2000 },
  );
  const logs = await kubectl(["-n", ns, "logs", name]);
  assert.is(phase, "Succeeded", `pod ${name} ended ${phase}; its output:\n${logs}`);
  return logs;
}

Smoke.before(async () => {
  await withTimeout(clusterUp(), 900_000, "npm run cluster:up");
  busybox = await checkImage();
  await kubectl(["create", "namespace", ns]);
});

Smoke.after(async () => {
  await kubectl(["delete", "namespace", ns, "--wait=true", "--timeout=120s"]).catch((err: unknown) => {
    process.stderr.write(`cleanup: deleting namespace ${ns} failed: ${String(err)}\n`);
  });
});

Smoke("4 Ready nodes, one agent in each zone", async () => {
  const nodes = await readyNodes();
  assert.is(nodes.length, 4, `Ready nodes: ${nodes.map((n) => n.name).join(", ")}`);
  for (const n of nodes) if (n.zone !== undefined) agents.push({ name: n.name, zone: n.zone });
  assert.equal(agents.map((a) => a.zone).sort(), [...ZONES], `zone labels (${ZONE_LABEL}) on the agents`);
});

Smoke("a pod on one agent resolves and reaches a pod on another agent through a headless Service", async () => {
  const [a, b] = agents;
  assert.ok(a && b, "needs two agents");
  const marker = `hello-from-${a.name}-${Date.now()}`;
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: ${ns}, labels: {app: web}}
spec:
  nodeSelector: {kubernetes.io/hostname: ${a.name}}
  containers:
    - name: web
      image: ${busybox}
      imagePullPolicy: IfNotPresent
      command: [sh, -c, "mkdir -p /tmp/www && echo ${marker} > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"]
      ports: [{containerPort: 8080}]
      readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${ns}}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 8080}]
`);
  await waitFor(async () => (await jsonpath(["-n", ns, "get", "pod", "web"], "{.status.containerStatuses[0].ready}")) === "true", {
    what: "pod web Ready",
    timeoutMs: 120_000,
    intervalMs: 2000,
  });
  const webIp = await jsonpath(["-n", ns, "get", "pod", "web"], "{.status.podIP}");
  const out = await fetchWeb("client", b.name);
  assert.ok(out.includes(webIp), `the headless Service name resolves to the web pod's IP ${webIp}:\n${out}`);
  assert.ok(out.includes(marker), `the client on ${b.name} read the page served on ${a.name}:\n${out}`);
});

/** A pod on `node` that resolves the web Service and fetches its page; returns the pod's output. */
async function fetchWeb(name: string, node: string): Promise<string> {
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec:
  restartPolicy: Never
  nodeSelector: {kubernetes.io/hostname: ${node}}
  containers:
    - name: client
      image: ${busybox}
      imagePullPolicy: IfNotPresent
      # busybox nslookup resolves through the cluster DNS; the page is fetched from the address it
      # answered with nc (the static busybox's wget and getaddrinfo do not work without NSS modules).
      command:
        - sh
        - -ec
        - |
          nslookup web.${ns}.svc.cluster.local | tee /tmp/answer
          ip=$(awk '/^Address: /{print $2}' /tmp/answer | tail -1)
          printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 10 "$ip" 8080
`);
  return podFinished(name, 120_000);
}

// A real node rides out a short API outage: the kubelet, kube-proxy and the CNI's node watcher retry.
// Here the agent serving the web pod is cut from the API server for 15 s: new connections are reset
// and the established ones destroyed (ss -K), as when the API server restarts or the link flaps.
Smoke("an agent cut from the API server for 15 s keeps running: no node restart, its pod keeps serving, pod routes re-synced", async () => {
  const [a, b] = agents;
  assert.ok(a && b, "needs two agents");
  const inNode = (script: string): Promise<string> => nodeExec(a.name, script);
  const webBefore = await jsonpath(["-n", ns, "get", "pod", "web"], "{.status.containerStatuses[0].containerID}");
  const before = await nodeContainer(a.name);
  const api = await jsonpath(["get", "node", SERVER_NODE], '{.status.addresses[?(@.type=="InternalIP")].address}');
  const rule = `OUTPUT -d ${api} -p tcp --dport 6443 -j REJECT --reject-with tcp-reset`;
  const logLines = Number((await inNode("wc -l < /var/log/k8s-node/network.log")).trim());
  await inNode(`iptables -I ${rule} && ss -K dst ${api} dport = 6443 >/dev/null`);
  try {
    await sleep(15_000);
  } finally {
    await inNode(`iptables -D ${rule}`);
  }
  await waitFor(async () => /routes re-synced/.test(await inNode(`tail -n +${logLines + 1} /var/log/k8s-node/network.log`)), {
    what: `the pod-route controller of ${a.name} to re-list after the outage`,
    timeoutMs: 90_000,
    intervalMs: 2000,
  });
  const log = await inNode(`tail -n +${logLines + 1} /var/log/k8s-node/network.log`);
  assert.match(log, /listing nodes failed|node watch ended/, `the outage reached the route controller:\n${log}`);
  assert.equal(await nodeContainer(a.name), before, `${a.name}'s container was restarted`);
  assert.is(await jsonpath(["-n", ns, "get", "pod", "web"], "{.status.containerStatuses[0].containerID}"), webBefore, "the web pod kept its container");
  // Every other node's podCIDR is routed via its InternalIP, and traffic crosses nodes again.
  const nodes = (
    await kubectl([
      "get",
      "nodes",
      "-o",
      'jsonpath={range .items[*]}{.metadata.name} {.spec.podCIDR} {.status.addresses[?(@.type=="InternalIP")].address}{"\\n"}{end}',
    ])
  )
    .trim()
    .split("\n");
  const routes = await inNode("ip -4 route show root 10.42.0.0/16");
  for (const [name, cidr, ip] of nodes.map((l) => l.split(" "))) {
    if (name === a.name) continue;
    assert.ok(routes.includes(`${cidr} via ${ip} `), `no route to ${name}'s pods (${cidr} via ${ip}) on ${a.name}:\n${routes}`);
  }
  assert.ok((await fetchWeb("client-after-outage", b.name)).includes("hello-from-"), "a pod on another agent reads the page after the outage");
});

Smoke("a PVC binds on local-path and keeps what a pod wrote", async () => {
  await apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: ${ns}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 16Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: writer, namespace: ${ns}}
spec:
  restartPolicy: Never
  containers:
    - name: writer
      image: ${busybox}
      imagePullPolicy: IfNotPresent
      command: [sh, -c, "echo persisted > /data/f && cat /data/f"]
      volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
`);
  const out = await podFinished("writer", 180_000);
  assert.ok(out.includes("persisted"), out);
  assert.is(await jsonpath(["-n", ns, "get", "pvc", "data"], "{.status.phase}"), "Bound");
  assert.is(await jsonpath(["-n", ns, "get", "pvc", "data"], "{.spec.storageClassName}"), "local-path");
});

Smoke("a single-node KRaft broker from the Kafka image serves kafkajs through a port published on 127.0.0.1", async () => {
  const image = await kafkaImage();
  if (await offline()) await importImages([image]);
  // The highest published NodePort no Service holds: the chart's brokers take 31090 + ordinal from
  // the bottom, and a release installed on the same cluster must not make this test fail.
  const taken = new Set((await kubectl(["get", "services", "-A", "-o", "jsonpath={.items[*].spec.ports[*].nodePort}"])).split(/\s+/).map(Number));
  let port = NODE_PORTS.last;
  while (taken.has(port) && port > NODE_PORTS.first) port--;
  assert.not.ok(taken.has(port), `every published NodePort ${NODE_PORTS.first}-${NODE_PORTS.last} is taken`);
  await apply(`
apiVersion: v1
kind: Pod
metadata: {name: kafka, namespace: ${ns}, labels: {app: kafka}}
spec:
  containers:
    - name: kafka
      image: ${image}
      imagePullPolicy: IfNotPresent
      env: [{name: KAFKA_HEAP_OPTS, value: "-Xms256m -Xmx256m"}]
      command:
        - bash
        - -ec
        - |
          cat > /tmp/server.properties <<EOF
          process.roles=broker,controller
          node.id=1
          controller.quorum.voters=1@localhost:9093
          listeners=INTERNAL://:9092,CONTROLLER://:9093,EXTERNAL://:9094
          advertised.listeners=INTERNAL://localhost:9092,EXTERNAL://127.0.0.1:${port}
          listener.security.protocol.map=INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:PLAINTEXT
          controller.listener.names=CONTROLLER
          inter.broker.listener.name=INTERNAL
          log.dirs=/var/lib/kafka/data
          offsets.topic.replication.factor=1
          transaction.state.log.replication.factor=1
          transaction.state.log.min.isr=1
          group.initial.rebalance.delay.ms=0
          EOF
          /opt/kafka/bin/kafka-storage.sh format -t smoke-cluster-id-0001AA -c /tmp/server.properties
          exec /opt/kafka/bin/kafka-server-start.sh /tmp/server.properties
      ports: [{containerPort: 9094}]
      readinessProbe: {tcpSocket: {port: 9094}, periodSeconds: 2}
      volumeMounts: [{name: data, mountPath: /var/lib/kafka/data}]
  volumes: [{name: data, emptyDir: {}}]
---
apiVersion: v1
kind: Service
metadata: {name: kafka-external, namespace: ${ns}}
spec:
  type: NodePort
  selector: {app: kafka}
  ports: [{port: 9094, targetPort: 9094, nodePort: ${port}}]
`);
  await waitFor(async () => (await jsonpath(["-n", ns, "get", "pod", "kafka"], "{.status.containerStatuses[0].ready}")) === "true", {
    what: "the Kafka pod Ready",
    timeoutMs: 240_000,
    intervalMs: 3000,
  });
  const logs = await kubectl(["-n", ns, "logs", "kafka"]);
  assert.match(logs, /Formatting/i, "kafka-storage.sh formatted the log directory");

  const kafka = new Kafka({ clientId: "smoke", brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `smoke-${ns}` });
  try {
    await waitFor(
      async () => {
        await admin.connect();
        return (await admin.describeCluster()).brokers.length === 1;
      },
      { what: `the broker through 127.0.0.1:${port}`, timeoutMs: 120_000, intervalMs: 3000, probeTimeoutMs: 20_000 },
    );
    await createTopic(new AdminProbe([`127.0.0.1:${port}`]), "smoke", 1, { replicationFactor: 1 });
    const values = Array.from({ length: 20 }, (_, i) => `record-${i}`);
    await producer.connect();
    await producer.send({ topic: "smoke", acks: -1, messages: values.map((value) => ({ value })) });
    const got: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: "smoke", fromBeginning: true });
    await withTimeout(
      new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            got.push(message.value?.toString() ?? "");
            if (got.length >= values.length) resolve();
          },
        });
      }),
      120_000,
      "consuming the 20 records back",
    );
    assert.equal(got, values);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
});

Smoke.run();
