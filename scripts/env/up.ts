// `npm run up`: the local kafka-ha environment in one command. Brings up the k3d cluster (three
// agents in zone-a/b/c), provides the Kafka image, installs the chart from this working tree with
// per-broker external access on 127.0.0.1, waits until every broker is Ready and answers, and
// prints the bootstrap address with a produce/consume example. `npm run down` undoes it.
import { say } from "../lib/run.js";
import { Kafka, logLevel } from "kafkajs";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { clusterUp, importImages, kubeconfigPath } from "./cluster/k3d.js";
import { toolPath } from "../lib/tools.js";
import { waitFor } from "../lib/wait.js";
import { BOOTSTRAP, BROKERS, NAMESPACE, RELEASE, installChart, kafkaImageRef, localValues, metricsImageRef, splitImage, waitBrokersReady } from "./release.js";

/** The number of registered brokers, once every broker answers on the bootstrap addresses. */
function brokersAnswer(timeoutMs: number): Promise<number> {
  return waitFor(
    async () => {
      const admin = new Kafka({
        clientId: "kafka-ha-up",
        brokers: BOOTSTRAP,
        connectionTimeout: 3000,
        requestTimeout: 10000,
        logLevel: logLevel.NOTHING,
        retry: { retries: 1 },
      }).admin();
      try {
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        if (brokers.length < BROKERS) throw new Error(`${brokers.length} brokers registered`);
        return brokers.length;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
    { what: `brokers to answer on ${BOOTSTRAP.join(",")}`, timeoutMs, intervalMs: 3000, probeTimeoutMs: 60000 },
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  say("step 1/4: k3d cluster");
  await clusterUp();
  const kubeconfig = kubeconfigPath();
  say("step 2/4: the Kafka image and the metrics agent's image");
  const image = await kafkaImageRef();
  const metricsImage = await metricsImageRef();
  await importImages([image, metricsImage]);
  say(`step 3/4: helm upgrade --install ${RELEASE} from the working tree (image ${image}, metrics agent ${metricsImage})`);
  await installChart(kubeconfig, localValues(splitImage(image), undefined, splitImage(metricsImage)));
  say(`step 4/4: waiting until ${BROKERS} brokers are Ready and answer on ${BOOTSTRAP.join(",")}`);
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const pods = await waitBrokersReady(kc.makeApiClient(CoreV1Api), { timeoutMs: 900000 });
  await brokersAnswer(300000);
  const kubectl = await toolPath("kubectl");
  const k = `${kubectl} --kubeconfig ${kubeconfig} -n ${NAMESPACE}`;
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`
kafka-ha is up (${seconds}s): ${pods.map((p) => `${p.name} on ${p.node}`).join(", ")}

  bootstrap (from this machine): ${BOOTSTRAP.join(",")}   (broker N is 127.0.0.1:3109N)
  inside the cluster:            ${RELEASE}.${NAMESPACE}.svc:9092
  kubeconfig:                    ${kubeconfig}

Produce and consume (Kafka's console tools, inside a broker pod):
  ${k} exec -i ${RELEASE}-0 -c kafka -- /opt/kafka/bin/kafka-topics.sh --bootstrap-server ${RELEASE}:9092 --create --topic demo --partitions 6 --replication-factor 3
  printf 'one\\ntwo\\nthree\\n' | ${k} exec -i ${RELEASE}-0 -c kafka -- /opt/kafka/bin/kafka-console-producer.sh --bootstrap-server ${RELEASE}:9092 --topic demo --producer-property acks=all
  ${k} exec ${RELEASE}-0 -c kafka -- /opt/kafka/bin/kafka-console-consumer.sh --bootstrap-server ${RELEASE}:9092 --topic demo --from-beginning --max-messages 3

From the host, any Kafka client with bootstrap ${BOOTSTRAP.join(",")}, for example kafkajs:
  node -e "const {Kafka}=require('kafkajs');const k=new Kafka({brokers:${JSON.stringify(BOOTSTRAP).replace(/"/g, "'")}});(async()=>{const p=k.producer();await p.connect();console.log(await p.send({topic:'demo',acks:-1,messages:[{value:'hello'}]}));await p.disconnect()})()"

Tear down with: npm run down
`);
}

main().catch((err: unknown) => {
  say(`up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
