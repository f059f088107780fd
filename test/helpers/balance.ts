// What "balanced" means after the chart's rebalance (S14, S15; README "Scale"), checked on the
// cluster's own metadata, independent of the planner (scripts/chart/rebalance/Rebalance.java):
// - every replica is on a broker of the release;
// - every partition spans as many zones as it can (min(replicas, zones));
// - per topic, brokers of one zone hold replica counts within one of each other (with rack
//   awareness a zone holds one replica of every partition, so that is as even as it gets);
// - per topic, partition leaders are within one of even across all brokers.
import type { PartitionState } from "./kafka-admin.js";

export interface BalanceFigures {
  /** topic -> "broker:replicas/leaders ..." (for the report). */
  perTopic: Record<string, string>;
  problems: string[];
}

const spread = (counts: number[]): number => Math.max(...counts) - Math.min(...counts);

export function balance(states: PartitionState[], zoneOf: Map<number, string>): BalanceFigures {
  const brokers = [...zoneOf.keys()].sort((a, b) => a - b);
  const zones = new Set(zoneOf.values());
  const problems: string[] = [];
  const perTopic: Record<string, string> = {};
  for (const topic of [...new Set(states.map((s) => s.topic))].sort()) {
    const parts = states.filter((s) => s.topic === topic);
    const replicas = new Map(brokers.map((b) => [b, 0]));
    const leaders = new Map(brokers.map((b) => [b, 0]));
    for (const p of parts) {
      for (const b of p.replicas) {
        if (!replicas.has(b)) problems.push(`${topic}-${p.partition}: replica on broker ${b}, not a broker of the release (${brokers.join(",")})`);
        else replicas.set(b, replicas.get(b)! + 1);
      }
      if (leaders.has(p.leader)) leaders.set(p.leader, leaders.get(p.leader)! + 1);
      const spans = new Set(p.replicas.map((b) => zoneOf.get(b))).size;
      const can = Math.min(p.replicas.length, zones.size);
      if (spans < can) problems.push(`${topic}-${p.partition}: replicas [${p.replicas.join(",")}] span ${spans} zones, ${can} possible`);
    }
    for (const zone of zones) {
      const inZone = brokers.filter((b) => zoneOf.get(b) === zone).map((b) => replicas.get(b)!);
      if (spread(inZone) > 1)
        problems.push(`${topic}: replicas per broker in ${zone} differ by ${spread(inZone)}: ${JSON.stringify(Object.fromEntries(replicas))}`);
    }
    if (spread([...leaders.values()]) > 1)
      problems.push(`${topic}: leaders per broker differ by ${spread([...leaders.values()])}: ${JSON.stringify(Object.fromEntries(leaders))}`);
    perTopic[topic] = brokers.map((b) => `${b}:${replicas.get(b)}/${leaders.get(b)}`).join(" ");
  }
  return { perTopic, problems };
}

/** Replicas a move added, comparing two assignments of the same partitions. */
export function replicasAdded(before: PartitionState[], after: PartitionState[]): { replicas: number; partitions: number } {
  const was = new Map(before.map((p) => [`${p.topic}-${p.partition}`, p.replicas]));
  let replicas = 0;
  let partitions = 0;
  for (const p of after) {
    const old = was.get(`${p.topic}-${p.partition}`);
    if (!old) continue;
    const added = p.replicas.filter((b) => !old.includes(b)).length;
    replicas += added;
    if (added > 0) partitions++;
  }
  return { replicas, partitions };
}
