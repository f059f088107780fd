// S16 resize the controller quorum (KIP-853 dynamic quorum): dedicated controllers 3 -> 5 -> 3, each
// step exactly as README "Resize the controller quorum" says: one `helm upgrade --set
// controller.replicas=N`, under live acks=all traffic (kafkajs, Kafka's Java clients and kafkajs
// with its defaults). Growing, the new controllers join as observers and auto-join makes them voters
// once caught up. Shrinking, the pre-upgrade controller-removal Job (templates/controller-removal-
// job.yaml) stops and then removes the voters one at a time, highest first. The quorum's status is
// sampled every 10 s throughout: it must always have a leader. The release (dedicated mode, sized
// for k3d by test/fixtures/overlays/dedicated-k3d.yaml) is removed afterwards, so later
// scenarios install the defaults.
import * as assert from "uvu/assert";
import { execa } from "execa";
import { BROKERS, NAMESPACE, RELEASE, brokerPods } from "../../scripts/env/release.js";
import { longestGap } from "../helpers/checker.js";
import { type QuorumStatus, parseEndpointIds, parseQuorumStatus, quorumProblems, waitFullIsr } from "../helpers/kafka-admin.js";
import { every, sleep, waitFor } from "../../scripts/lib/wait.js";
import { CONTROLLER_ID_BASE, type Env, TOOL_ENV, controllerQuorumStatus, execInBroker, freshInstall, quorum, toolBootstrap, upgradeRelease } from "./env.js";
import { Session, type Window, log } from "./session.js";
import { removeRelease, sharedSession } from "./shared-session.js";
import { type Scenario, scenarioFile } from "./scenario.js";

const S16: Scenario = {
  id: "S16",
  name: "resize the controller quorum 3 -> 5 -> 3",
  does: "installs 3 dedicated controllers and 3 brokers, then under traffic helm upgrade --set controller.replicas=5, then --set controller.replicas=3",
  holds:
    "after the growth the voters are exactly 1000..1004, all caught up and registered, and no controller is left an observer; the shrink's controller-removal Job removed voter 1004 then 1003, each only after its pod was gone; then the voters are exactly 1000..1002, caught up, only they are registered as controllers, and the controller StatefulSet has 3 pods; the quorum had a leader in every status sample (every 10 s, from before the growth to after the shrink); Java clients: their rules and 0 failed sends; kafkajs with its defaults: its rules",
  procedure: "Resize the controller quorum (S16)",
};

const LAYERS = ["test/fixtures/overlays/dedicated-k3d.yaml"];
const CONTROLLERS = 3;
const CONTROLLER_STS = `${RELEASE}-controller`;
const BROKER_STS = `${RELEASE}-broker`;
const REMOVAL_JOB = `${RELEASE}-controller-removal`;
const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => CONTROLLER_ID_BASE + i);

interface QuorumSample {
  time: number;
  /** The pod the status was asked through. */
  via?: string;
  status?: QuorumStatus;
  /** Why no pod answered (every attempt's error). */
  error?: string;
}

/**
 * Samples `describe --status` every 10 s through a Ready pod: a broker (through the client Service),
 * else a controller (its own controller port); up to three pods per sample, so a pod that is just
 * going does not count as a quorum without a leader. A sample nobody answers, or one without a
 * leader, is a leaderless sample.
 */
function watchQuorum(e: Env): { stop: () => Promise<void>; samples: QuorumSample[] } {
  const samples: QuorumSample[] = [];
  const sampling = every(
    10000,
    async () => {
      const time = Date.now();
      const ready = (await brokerPods(e.kube.core)).filter((p) => p.ready).map((p) => p.name);
      const order = [...ready.filter((n) => n.startsWith(`${BROKER_STS}-`)), ...ready.filter((n) => n.startsWith(`${CONTROLLER_STS}-`))].slice(0, 3);
      const errors: string[] = [];
      for (const pod of order) {
        try {
          const status = pod.startsWith(`${CONTROLLER_STS}-`)
            ? await controllerQuorumStatus(e, pod, 25)
            : parseQuorumStatus(
                await execInBroker(
                  e,
                  pod,
                  `timeout 25 env ${TOOL_ENV} /opt/kafka/bin/kafka-metadata-quorum.sh --bootstrap-server ${toolBootstrap()} describe --status`,
                  55000,
                ),
              );
          samples.push({ time, via: pod, status });
          return;
        } catch (err) {
          errors.push(`${pod}: ${(err instanceof Error ? err.message : String(err)).split("\n").slice(-2).join(" ")}`);
        }
      }
      samples.push({ time, error: errors.join("; ") || "no Ready pod to ask" });
    },
    180000,
  );
  return { stop: () => sampling.stop(), samples };
}

const leaderless = (s: QuorumSample): boolean => s.status === undefined || !(s.status.leaderId >= 0);

/** Every given StatefulSet rolled out: the update revision current everywhere and `replicas` Ready pods of it. */
async function waitRolledOut(e: Env, sets: Record<string, number>, timeoutMs = 900000): Promise<void> {
  await waitFor(
    async () => {
      for (const [name, replicas] of Object.entries(sets)) {
        const sts = await e.kube.apps.readNamespacedStatefulSet({ name, namespace: NAMESPACE });
        const st = sts.status;
        const done =
          (st?.observedGeneration ?? 0) >= (sts.metadata?.generation ?? 0) &&
          sts.spec?.replicas === replicas &&
          st?.currentRevision === st?.updateRevision &&
          st?.updatedReplicas === replicas &&
          st?.readyReplicas === replicas &&
          st?.replicas === replicas;
        if (!done) return false;
      }
      return true;
    },
    { what: `StatefulSets ${Object.keys(sets).join(", ")} rolled out`, timeoutMs, intervalMs: 3000 },
  );
}

/**
 * Waits until the voters are exactly `voters`, a leader leads them, every one is caught up
 * (`describe --replication`, within 1000 records) and no controller id is an observer; returns the
 * last status.
 */
async function waitQuorum(e: Env, voters: number[], opts: { noControllerObservers: boolean }): Promise<QuorumStatus> {
  let last: QuorumStatus | undefined;
  await waitFor(
    async () => {
      const q = await quorum(e, `${BROKER_STS}-0`);
      last = q.status;
      const problems = quorumProblems(q.status, q.replication, voters);
      if (opts.noControllerObservers) {
        const observers = q.status.observers.filter((id) => id >= CONTROLLER_ID_BASE);
        if (observers.length > 0) problems.push(`controllers still observers: ${observers.join(",")}`);
      }
      if (problems.length > 0) throw new Error(problems.join("; "));
      return true;
    },
    { what: `voters ${voters.join(",")} caught up`, timeoutMs: 600000, intervalMs: 5000, probeTimeoutMs: 120000 },
  );
  return last!;
}

/** The controllers registered in the cluster metadata (`kafka-cluster.sh list-endpoints` against a controller). */
async function registeredControllers(e: Env): Promise<number[]> {
  const out = await execInBroker(
    e,
    `${CONTROLLER_STS}-0`,
    `${TOOL_ENV} /opt/kafka/bin/kafka-cluster.sh list-endpoints --bootstrap-controller localhost:9093 --command-config /opt/kafka-ha/run/controller-client.properties`,
  );
  return parseEndpointIds(out);
}

async function setControllers(e: Env, replicas: number): Promise<number> {
  const started = Date.now();
  await upgradeRelease(e, { controller: { replicas } }, { timeoutMs: 900000 });
  return Date.now() - started;
}

/** Failed sends and the longest gap between acknowledgements of the harness traffic from `from` to `to`, as facts. */
function stepFigures(w: Window, s: Session, step: string, from: number, to: number): void {
  const t = s.traffic;
  w.fact(`${step}FailedSends`, t.failures.filter((f) => f.time >= from && f.time <= to).length);
  w.fact(
    `${step}LongestGapSeconds`,
    Math.round(
      longestGap(
        t.acks.map((a) => a.time),
        from,
        to,
      ).ms / 100,
    ) / 10,
  );
}

export default scenarioFile(import.meta.url, [S16], (test, run) => {
  const scenario = sharedSession(test, run, S16, {
    javaClients: true,
    kafkajsDefaults: true,
    setUp: async (e) => {
      const { installMs } = await freshInstall(e, { valueFiles: LAYERS, pods: CONTROLLERS + BROKERS });
      log(`S16: ${CONTROLLERS} dedicated controllers and ${BROKERS} brokers Ready ${(installMs / 1000).toFixed(0)}s after helm install`);
    },
    tearDown: removeRelease("S16", "dedicated controllers; later scenarios install the defaults"),
  });

  scenario(S16, async (w, s, e) => {
    await sleep(10000);
    const watch = watchQuorum(e);
    try {
      const before = await waitQuorum(e, ids(3), { noControllerObservers: true });
      w.fact("votersBefore", before.voters.join(","));

      // 1. Grow 3 -> 5: new controllers join as observers; auto-join adds them as voters.
      const growAt = w.mark("helm upgrade --set controller.replicas=5", { fault: true });
      const growHelmMs = await setControllers(e, 5);
      w.mark(`helm upgrade returned (${(growHelmMs / 1000).toFixed(0)}s)`);
      await waitRolledOut(e, { [CONTROLLER_STS]: 5, [BROKER_STS]: BROKERS });
      w.mark("controllers and brokers rolled out");
      const grown = await waitQuorum(e, ids(5), { noControllerObservers: true });
      const grownAt = w.mark(`voters ${grown.voters.join(",")}, all caught up, no controller an observer`);
      w.fact("votersAfterGrowth", grown.voters.join(","));
      w.fact("growOperationSeconds", Math.round((grownAt - growAt) / 1000));
      w.fact("growHelmSeconds", Math.round(growHelmMs / 1000));
      stepFigures(w, s, "grow", growAt, grownAt);
      assert.equal(await registeredControllers(e), ids(5), "registered controllers after the growth");
      await waitFullIsr(s.probe, 300000);
      await sleep(10000);

      // 2. Shrink 5 -> 3: the pre-upgrade Job stops and removes 1004, then 1003.
      const shrinkAt = w.mark("helm upgrade --set controller.replicas=3", { fault: true });
      const shrinkHelmMs = await setControllers(e, 3);
      w.mark(`helm upgrade returned after the controller-removal Job (${(shrinkHelmMs / 1000).toFixed(0)}s)`);
      const job = await e.kube.batch.readNamespacedJob({ name: REMOVAL_JOB, namespace: NAMESPACE });
      const jobLog = (await execa(e.kubectl, ["--kubeconfig", e.kubeconfig, "-n", NAMESPACE, "logs", `job/${REMOVAL_JOB}`], { reject: false })).stdout;
      const lines = jobLog.split("\n").filter((l) => l.startsWith("[kafka-ha controller-removal]"));
      w.fact("removalJob", lines.join(" / "));
      assert.ok(job.status?.succeeded, `the controller-removal Job did not succeed:\n${jobLog}`);
      const removed = lines.map((l) => /removed voter (\d+) /.exec(l)?.[1]).filter((x): x is string => x !== undefined);
      assert.equal(removed.map(Number), [CONTROLLER_ID_BASE + 4, CONTROLLER_ID_BASE + 3], "voters removed, highest first");
      for (const ordinal of [4, 3]) {
        const gone = lines.findIndex((l) => l.includes(`pod ${CONTROLLER_STS}-${ordinal} is gone`));
        const out = lines.findIndex((l) => l.includes(`removed voter ${CONTROLLER_ID_BASE + ordinal} `));
        assert.ok(gone >= 0 && gone < out, `voter ${CONTROLLER_ID_BASE + ordinal} was removed only after its pod was gone`);
      }
      assert.ok(
        lines.some((l) => l.includes(`unregistered controller ${CONTROLLER_ID_BASE + 4}`)) &&
          lines.some((l) => l.includes(`unregistered controller ${CONTROLLER_ID_BASE + 3}`)),
        "controllers 1004 and 1003 unregistered",
      );
      await waitRolledOut(e, { [CONTROLLER_STS]: 3, [BROKER_STS]: BROKERS });
      w.mark("controllers and brokers rolled out");
      const shrunk = await waitQuorum(e, ids(3), { noControllerObservers: false });
      const shrunkAt = w.mark(`voters ${shrunk.voters.join(",")}, all caught up`);
      w.fact("finalVoters", shrunk.voters.join(","));
      w.fact("observersAfterShrink", shrunk.observers.join(","));
      w.fact("shrinkOperationSeconds", Math.round((shrunkAt - shrinkAt) / 1000));
      w.fact("shrinkHelmSeconds", Math.round(shrinkHelmMs / 1000));
      stepFigures(w, s, "shrink", shrinkAt, shrunkAt);
      const registered = await registeredControllers(e);
      w.fact("registeredControllers", registered.join(","));
      assert.equal(registered, ids(3), "only the controllers that stay are registered");
      const pods = (await brokerPods(e.kube.core)).map((p) => p.name).filter((n) => n.startsWith(`${CONTROLLER_STS}-`));
      assert.equal(
        pods,
        [0, 1, 2].map((i) => `${CONTROLLER_STS}-${i}`),
      );
      w.mark(`full ISR (${((await waitFullIsr(s.probe, 300000)) / 1000).toFixed(0)}s after)`);
      await sleep(10000);
    } finally {
      await watch.stop();
    }

    const bad = watch.samples.filter(leaderless);
    w.fact("quorumSamples", watch.samples.length);
    w.fact("quorumLeaders", [...new Set(watch.samples.map((x) => x.status?.leaderId).filter((x) => x !== undefined))].join(","));
    w.fact(
      "leaderlessSamples",
      bad.map((x) => `+${Math.round((x.time - w.startedAt) / 1000)}s ${x.error ?? `LeaderId ${x.status?.leaderId}`}`).join(" | ") || "none",
    );
    assert.ok(watch.samples.length >= 10, `only ${watch.samples.length} quorum samples`);
    assert.equal(
      bad.map((x) => `+${Math.round((x.time - w.startedAt) / 1000)}s`),
      [],
      "the quorum had no leader (or no pod could say) in some samples",
    );

    // Both steps are graceful: the Java client's own retries must carry every send through them.
    await w.finishWithClients({ noFailedSends: true });
  });
});
