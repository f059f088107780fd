// Moves partition replicas when broker.replicas changes (templates/rebalance-job.yaml, README
// "Scale"). The chart ships this class compiled, like rack/NodeZone, and a hook Job runs it with the
// Kafka image's own client libraries:
//
//   java -cp '/opt/kafka/libs/*:<dir>' Rebalance before|after
//
// before (pre-upgrade): when brokers at or above the new count hold replicas (a scale-in), move every
//   replica onto the brokers that stay, balanced; refuse, naming the topics, when a topic has more
//   replicas than brokers would remain. A failure stops the helm upgrade before any pod goes.
// after (post-upgrade): wait for every broker that stays; move any replica left on a removed broker;
//   unregister removed brokers from the KRaft metadata once their pods are gone; and spread the
//   partitions when a broker holds none while another holds two or more (it just joined: a scale-out).
//   Partitions are otherwise left where they are, so your own reassignments stay.
//
// The plan keeps every replica it can and moves as few as it needs: each topic's replicas end within
// one of even across the brokers among which rack awareness lets them move (a partition never loses
// a rack it had), and each topic's preferred leaders within one of even across brokers. The copy is
// throttled (KAFKA_HA_THROTTLE bytes/s per broker; a partition only while it moves, see
// topicThrottles) and the preferred leaders are elected at the end.
//
// Environment: KAFKA_HA_BOOTSTRAP (internal listener addresses), KAFKA_HA_BROKERS (the new count:
// broker ids 0..n-1 stay), KAFKA_HA_TLS_DIR (ca.crt, tls.crt, tls.key; empty: plaintext),
// KAFKA_HA_THROTTLE (0: no throttle), KAFKA_HA_WAIT_SECONDS (default 3600). Exit 1: an error (the
// Job retries; every step is idempotent), exit 2: refused (the Job fails at once).
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ElectionNotNeededException;

public final class Rebalance {
    static final JobClient JOB = new JobClient("rebalance");

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !(args[0].equals("before") || args[0].equals("after"))) {
            JOB.fail("usage: Rebalance before|after");
        }
        int brokers = Integer.parseInt(JOB.env("KAFKA_HA_BROKERS", null));
        long throttle = Long.parseLong(JOB.env("KAFKA_HA_THROTTLE", "0"));
        long deadline = System.currentTimeMillis() + 1000L * Long.parseLong(JOB.env("KAFKA_HA_WAIT_SECONDS", "3600"));
        Set<Integer> stay = new TreeSet<>();
        for (int id = 0; id < brokers; id++) stay.add(id);
        try (Admin admin = Admin.create(clientConfig())) {
            new Rebalance(admin, stay, throttle, deadline).run(args[0]);
        }
    }

    final Admin admin;
    final Set<Integer> stay;
    final long throttle;
    final long deadline;

    Rebalance(Admin admin, Set<Integer> stay, long throttle, long deadline) {
        this.admin = admin;
        this.stay = stay;
        this.throttle = throttle;
        this.deadline = deadline;
    }

    void run(String phase) throws Exception {
        waitForMovesInProgress();
        if (phase.equals("before")) {
            Map<TopicPartition, List<Integer>> current = assignment();
            if (onRemoved(current).isEmpty()) {
                JOB.log("no replica on a broker that goes (ids " + stay.size() + " and up): nothing to move before the upgrade");
                return;
            }
            refuseTopicsTooWide(current);
            waitForBrokers(stay, "the brokers that stay");
            moveAndReport(current, "scale-in: every replica off the brokers that go");
            return;
        }
        waitForBrokers(stay, "every broker of the new count");
        Map<TopicPartition, List<Integer>> current = assignment();
        if (!onRemoved(current).isEmpty()) {
            refuseTopicsTooWide(current);
            moveAndReport(current, "replicas left on removed brokers");
            current = assignment();
        }
        unregisterRemovedBrokers();
        Integer empty = emptyBroker(current);
        if (empty != null) {
            moveAndReport(current, "broker " + empty + " holds no replica (it just joined)");
        } else {
            JOB.log("every broker holds replicas: partitions left where they are");
        }
    }

    // --- the cluster ----------------------------------------------------------------------------

    /** The replicas of every partition, in Kafka's order (the first is the preferred leader). */
    Map<TopicPartition, List<Integer>> assignment() throws Exception {
        Set<String> names = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true)).names().get();
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
        Map<TopicPartition, List<Integer>> out = new TreeMap<>((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
        for (TopicDescription t : topics.values()) {
            for (TopicPartitionInfo p : t.partitions()) {
                out.put(new TopicPartition(t.name(), p.partition()), p.replicas().stream().map(Node::id).collect(Collectors.toList()));
            }
        }
        return out;
    }

    Map<TopicPartition, List<Integer>> onRemoved(Map<TopicPartition, List<Integer>> assignment) {
        Map<TopicPartition, List<Integer>> out = new LinkedHashMap<>();
        assignment.forEach((tp, r) -> {
            if (!stay.containsAll(r)) out.put(tp, r);
        });
        return out;
    }

    void refuseTopicsTooWide(Map<TopicPartition, List<Integer>> assignment) {
        Map<String, Integer> tooWide = new TreeMap<>();
        assignment.forEach((tp, r) -> {
            if (r.size() > stay.size()) tooWide.put(tp.topic(), r.size());
        });
        if (!tooWide.isEmpty()) {
            JOB.refuse("refused: " + stay.size() + " brokers cannot hold " + tooWide.entrySet().stream().map(e -> "topic " + e.getKey() + " (" + e.getValue() + " replicas)").collect(Collectors.joining(", "))
                    + ". Lower the topic's replication factor first (kafka-reassign-partitions.sh), or keep more brokers. Nothing was moved.");
        }
    }

    /** Live (registered, unfenced) brokers and their racks; a broker without a rack is its own rack. */
    Map<Integer, String> liveBrokers() throws Exception {
        Map<Integer, String> out = new TreeMap<>();
        for (Node n : admin.describeCluster().nodes().get()) out.put(n.id(), n.rack() == null ? "broker-" + n.id() : n.rack());
        return out;
    }

    void waitForBrokers(Set<Integer> ids, String what) throws Exception {
        long lastLog = 0;
        for (;;) {
            Set<Integer> missing = new TreeSet<>(ids);
            missing.removeAll(liveBrokers().keySet());
            if (missing.isEmpty()) return;
            if (System.currentTimeMillis() > deadline) JOB.fail("brokers " + missing + " (" + what + ") did not register in time; nothing more was moved");
            if (System.currentTimeMillis() - lastLog > 15000) {
                JOB.log("waiting for brokers " + missing + " (" + what + ") to register");
                lastLog = System.currentTimeMillis();
            }
            Thread.sleep(2000);
        }
    }

    void waitForMovesInProgress() throws Exception {
        while (!admin.listPartitionReassignments().reassignments().get().isEmpty()) {
            if (System.currentTimeMillis() > deadline) JOB.fail("a reassignment started before this Job is still running");
            JOB.log("waiting for a reassignment already in progress");
            Thread.sleep(5000);
        }
    }

    /** A broker that stays and holds no replica while another holds two or more, or null. */
    Integer emptyBroker(Map<TopicPartition, List<Integer>> assignment) {
        Map<Integer, Integer> count = new TreeMap<>();
        for (int id : stay) count.put(id, 0);
        assignment.values().forEach(r -> r.forEach(b -> count.merge(b, 1, Integer::sum)));
        if (count.values().stream().noneMatch(c -> c >= 2)) return null;
        return count.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Unregisters brokers at or above the new count once they are fenced (their pods are gone). */
    void unregisterRemovedBrokers() throws Exception {
        Set<Integer> removed = new TreeSet<>();
        for (Node n : admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes().get()) {
            if (!stay.contains(n.id())) removed.add(n.id());
        }
        if (removed.isEmpty()) return;
        long lastLog = 0;
        for (;;) {
            Set<Integer> live = new TreeSet<>(liveBrokers().keySet());
            live.retainAll(removed);
            if (live.isEmpty()) break;
            if (System.currentTimeMillis() > deadline) JOB.fail("removed brokers " + live + " are still running; they were not unregistered");
            if (System.currentTimeMillis() - lastLog > 15000) {
                JOB.log("waiting for removed brokers " + live + " to stop before unregistering them");
                lastLog = System.currentTimeMillis();
            }
            Thread.sleep(2000);
        }
        for (int id : removed) {
            admin.unregisterBroker(id).all().get();
            JOB.log("unregistered removed broker " + id + " from the KRaft metadata");
        }
    }

    // --- the plan -------------------------------------------------------------------------------

    void moveAndReport(Map<TopicPartition, List<Integer>> current, String why) throws Exception {
        Map<Integer, String> racks = liveBrokers();
        for (int id : stay) {
            if (!racks.containsKey(id)) JOB.fail("broker " + id + " is not running; a rebalance needs every broker that stays");
        }
        Map<TopicPartition, List<Integer>> target = plan(current, racks);
        Map<TopicPartition, List<Integer>> moves = new LinkedHashMap<>();
        int replicasMoved = 0;
        for (var e : target.entrySet()) {
            List<Integer> before = current.get(e.getKey());
            if (before.equals(e.getValue())) continue;
            moves.put(e.getKey(), e.getValue());
            for (int b : e.getValue()) if (!before.contains(b)) replicasMoved++;
        }
        JOB.log(why + ": " + replicasMoved + " replicas to copy, " + moves.size() + " partitions with a new replica list (of " + current.size() + ")");
        JOB.log("replicas per broker: " + perBroker(current, false) + " -> " + perBroker(target, false));
        JOB.log("preferred leaders per broker: " + perBroker(current, true) + " -> " + perBroker(target, true));
        if (moves.isEmpty()) return;
        long started = System.currentTimeMillis();
        setThrottles(current, moves, racks.keySet());
        try {
            Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
            moves.forEach((tp, r) -> request.put(tp, Optional.of(new NewPartitionReassignment(r))));
            admin.alterPartitionReassignments(request).all().get();
            waitForMoves(current, moves);
        } finally {
            clearThrottles(moves.keySet(), racks.keySet());
        }
        electPreferredLeaders(moves.keySet());
        JOB.log("done in " + (System.currentTimeMillis() - started) / 1000 + "s: moved " + replicasMoved + " replicas; throttles removed; preferred leaders elected");
    }

    static String perBroker(Map<TopicPartition, List<Integer>> assignment, boolean leadersOnly) {
        Map<Integer, Integer> count = new TreeMap<>();
        for (List<Integer> r : assignment.values()) {
            if (leadersOnly) count.merge(r.get(0), 1, Integer::sum);
            else r.forEach(b -> count.merge(b, 1, Integer::sum));
        }
        return count.toString();
    }

    /** The balanced assignment: per topic, keep what can stay, fill holes, even out, pick leaders. */
    Map<TopicPartition, List<Integer>> plan(Map<TopicPartition, List<Integer>> current, Map<Integer, String> racks) {
        Map<Integer, Integer> globalReplicas = new HashMap<>();
        Map<Integer, Integer> globalLeaders = new HashMap<>();
        Map<String, List<TopicPartition>> byTopic = new TreeMap<>();
        current.keySet().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp));
        Map<TopicPartition, List<Integer>> out = new LinkedHashMap<>();
        for (List<TopicPartition> partitions : byTopic.values()) {
            Map<TopicPartition, List<Integer>> topic = new LinkedHashMap<>();
            for (TopicPartition tp : partitions) topic.put(tp, new ArrayList<>(current.get(tp)));
            planTopic(topic, racks, globalReplicas, globalLeaders);
            out.putAll(topic);
        }
        return out;
    }

    // The topic being planned (fields, not a nested class: the build ships Rebalance.class only). Its
    // replica lists are changed in place; count and leaders are its replicas and preferred leaders per
    // broker.
    Map<TopicPartition, List<Integer>> replicas;
    Map<Integer, String> racks;
    Map<Integer, Integer> globalReplicas;
    Map<Integer, Integer> globalLeaders;
    Map<Integer, Integer> count;
    Map<Integer, Integer> leaders;

    void planTopic(Map<TopicPartition, List<Integer>> replicas, Map<Integer, String> racks, Map<Integer, Integer> globalReplicas, Map<Integer, Integer> globalLeaders) {
        this.replicas = replicas;
        this.racks = racks;
        this.globalReplicas = globalReplicas;
        this.globalLeaders = globalLeaders;
        count = new TreeMap<>();
        leaders = new TreeMap<>();
        for (int b : stay) {
            count.put(b, 0);
            leaders.put(b, 0);
        }
        balance();
    }

    int distinctRacks(List<Integer> r) {
        return (int) r.stream().map(b -> racks.getOrDefault(b, "broker-" + b)).distinct().count();
    }

    /** Replica list r with from replaced by to, in place of from. */
    List<Integer> replaced(List<Integer> r, int from, int to) {
        List<Integer> out = new ArrayList<>(r);
        out.set(out.indexOf(from), to);
        return out;
    }

    void balance() {
        // 1. replicas on brokers that go get the best broker that stays: most racks, then fewest replicas
        for (List<Integer> r : replicas.values()) r.stream().filter(stay::contains).forEach(b -> count.merge(b, 1, Integer::sum));
        for (List<Integer> r : replicas.values()) {
            for (int from : new ArrayList<>(r)) {
                if (stay.contains(from)) continue;
                int best = -1;
                for (int b : stay) {
                    if (r.contains(b)) continue;
                    if (best < 0 || better(replaced(r, from, b), b, replaced(r, from, best), best)) best = b;
                }
                r.set(r.indexOf(from), best);
                count.merge(best, 1, Integer::sum);
            }
        }
        // 2. move replicas from the fullest to the emptiest broker while they differ by two or more
        while (evenOutOnce()) {
        }
        for (List<Integer> r : replicas.values()) r.forEach(b -> globalReplicas.merge(b, 1, Integer::sum));
        // 3. preferred leaders: keep the current ones, then shift along chains until within one
        for (List<Integer> r : replicas.values()) leaders.merge(r.get(0), 1, Integer::sum);
        while (shiftLeaderOnce()) {
        }
        for (List<Integer> r : replicas.values()) globalLeaders.merge(r.get(0), 1, Integer::sum);
    }

    boolean better(List<Integer> a, int brokerA, List<Integer> b, int brokerB) {
        int ra = distinctRacks(a), rb = distinctRacks(b);
        if (ra != rb) return ra > rb;
        if (!count.get(brokerA).equals(count.get(brokerB))) return count.get(brokerA) < count.get(brokerB);
        int ga = globalReplicas.getOrDefault(brokerA, 0), gb = globalReplicas.getOrDefault(brokerB, 0);
        if (ga != gb) return ga < gb;
        return brokerA < brokerB;
    }

    boolean evenOutOnce() {
        List<Integer> byCount = new ArrayList<>(stay);
        byCount.sort((a, b) -> count.get(b) - count.get(a));
        for (int from : byCount) {
            for (int i = byCount.size() - 1; i >= 0; i--) {
                int to = byCount.get(i);
                if (count.get(from) - count.get(to) < 2) break;
                for (List<Integer> r : replicas.values()) {
                    if (!r.contains(from) || r.contains(to)) continue;
                    if (distinctRacks(replaced(r, from, to)) < distinctRacks(r)) continue;
                    r.set(r.indexOf(from), to);
                    count.merge(from, -1, Integer::sum);
                    count.merge(to, 1, Integer::sum);
                    return true;
                }
            }
        }
        return false;
    }

    /** One step of leader balancing: a chain of leader changes from the broker with most leaders to one with two fewer. */
    boolean shiftLeaderOnce() {
        List<Integer> byLeaders = new ArrayList<>(stay);
        byLeaders.sort((a, b) -> leaders.get(b) - leaders.get(a));
        for (int start : byLeaders) {
            Map<Integer, TopicPartition> via = new HashMap<>();
            Map<Integer, Integer> prev = new HashMap<>();
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
            Set<Integer> seen = new HashSet<>(List.of(start));
            while (!queue.isEmpty()) {
                int x = queue.poll();
                for (var e : replicas.entrySet()) {
                    if (e.getValue().get(0) != x) continue;
                    for (int y : e.getValue()) {
                        if (seen.contains(y)) continue;
                        seen.add(y);
                        via.put(y, e.getKey());
                        prev.put(y, x);
                        if (leaders.get(start) - leaders.get(y) >= 2) {
                            for (int b = y; b != start; b = prev.get(b)) {
                                List<Integer> r = replicas.get(via.get(b));
                                r.remove(Integer.valueOf(b));
                                r.add(0, b);
                            }
                            leaders.merge(start, -1, Integer::sum);
                            leaders.merge(y, 1, Integer::sum);
                            return true;
                        }
                        queue.add(y);
                    }
                }
            }
        }
        return false;
    }

    // --- moving ---------------------------------------------------------------------------------

    /** Kafka's replication throttle on the moving replicas only: sources lead, new replicas follow. */
    void setThrottles(Map<TopicPartition, List<Integer>> current, Map<TopicPartition, List<Integer>> moves, Collection<Integer> brokers) throws Exception {
        if (throttle <= 0) {
            JOB.log("no replication throttle (rebalance.throttleBytesPerSecond is 0)");
            return;
        }
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>(topicThrottles(current, moves, moves.keySet()));
        for (int b : brokers) {
            ops.put(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(b)), List.of(
                    set("leader.replication.throttled.rate", String.valueOf(throttle)),
                    set("follower.replication.throttled.rate", String.valueOf(throttle))));
        }
        admin.incrementalAlterConfigs(ops).all().get();
        JOB.log("replication throttled to " + throttle + " bytes/s per broker for the moving replicas");
    }

    /**
     * Each moved topic's throttled replica lists for the partitions still moving; a topic with none
     * left loses both lists. A moved partition must leave the lists when its move completes: the
     * completion bumps its leader epoch, which resets the new replica's fetch state to "lag unknown",
     * and a follower throttle holds back every listed replica not known to be in sync while other
     * partitions still fill the rate. The new replica, already in the ISR, then fetches nothing
     * until replica.lag.time.max.ms drops it from the ISR (Kafka's AbstractFetcherThread,
     * RemoteLeaderEndPoint.shouldFollowerThrottle).
     */
    static Map<ConfigResource, Collection<AlterConfigOp>> topicThrottles(
            Map<TopicPartition, List<Integer>> current, Map<TopicPartition, List<Integer>> moves, Set<TopicPartition> moving) {
        Map<String, List<String>> leaderSide = new TreeMap<>();
        Map<String, List<String>> followerSide = new TreeMap<>();
        moves.forEach((tp, r) -> {
            leaderSide.computeIfAbsent(tp.topic(), t -> new ArrayList<>());
            followerSide.computeIfAbsent(tp.topic(), t -> new ArrayList<>());
            if (!moving.contains(tp)) return;
            for (int b : current.get(tp)) leaderSide.get(tp.topic()).add(tp.partition() + ":" + b);
            for (int b : r) if (!current.get(tp).contains(b)) followerSide.get(tp.topic()).add(tp.partition() + ":" + b);
        });
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        leaderSide.forEach((topic, leaders) -> {
            List<String> followers = followerSide.get(topic);
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), leaders.isEmpty() && followers.isEmpty()
                    ? List.of(delete("leader.replication.throttled.replicas"), delete("follower.replication.throttled.replicas"))
                    : List.of(set("leader.replication.throttled.replicas", String.join(",", leaders)),
                            set("follower.replication.throttled.replicas", String.join(",", followers))));
        });
        return ops;
    }

    void clearThrottles(Set<TopicPartition> moved, Collection<Integer> brokers) throws Exception {
        if (throttle <= 0) return;
        Map<ConfigResource, Collection<AlterConfigOp>> ops = new LinkedHashMap<>();
        for (String topic : moved.stream().map(TopicPartition::topic).collect(Collectors.toCollection(TreeSet::new))) {
            ops.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(delete("leader.replication.throttled.replicas"), delete("follower.replication.throttled.replicas")));
        }
        for (int b : brokers) {
            ops.put(new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(b)), List.of(delete("leader.replication.throttled.rate"), delete("follower.replication.throttled.rate")));
        }
        admin.incrementalAlterConfigs(ops).all().get();
    }

    static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }

    static AlterConfigOp delete(String name) {
        return new AlterConfigOp(new ConfigEntry(name, ""), AlterConfigOp.OpType.DELETE);
    }

    /** Waits until no partition moves; a partition whose move completed leaves the throttled lists at once. */
    void waitForMoves(Map<TopicPartition, List<Integer>> current, Map<TopicPartition, List<Integer>> moves) throws Exception {
        long lastLog = 0;
        Set<TopicPartition> throttled = new HashSet<>(moves.keySet());
        for (;;) {
            Set<TopicPartition> moving = new HashSet<>(admin.listPartitionReassignments().reassignments().get().keySet());
            int left = moving.size();
            if (left == 0) return;
            moving.retainAll(moves.keySet());
            if (throttle > 0 && !moving.equals(throttled)) {
                admin.incrementalAlterConfigs(changedTopics(topicThrottles(current, moves, moving), throttled, moving)).all().get();
                throttled = moving;
            }
            if (System.currentTimeMillis() > deadline) {
                JOB.fail(left + " partitions are still moving at the deadline (KAFKA_HA_WAIT_SECONDS); Kafka goes on moving them and the next run waits for them. The throttle is removed now.");
            }
            if (System.currentTimeMillis() - lastLog > 15000) {
                JOB.log(left + " of " + moves.size() + " partitions still copying" + (throttle > 0 ? " (throttled; finished ones no longer are)" : ""));
                lastLog = System.currentTimeMillis();
            }
            Thread.sleep(2000);
        }
    }

    /** The ops of the topics with a partition that was throttled and no longer moves. */
    static Map<ConfigResource, Collection<AlterConfigOp>> changedTopics(
            Map<ConfigResource, Collection<AlterConfigOp>> ops, Set<TopicPartition> throttled, Set<TopicPartition> moving) {
        Set<String> changed = new HashSet<>();
        for (TopicPartition tp : throttled) if (!moving.contains(tp)) changed.add(tp.topic());
        Map<ConfigResource, Collection<AlterConfigOp>> out = new LinkedHashMap<>();
        ops.forEach((r, o) -> {
            if (changed.contains(r.name())) out.put(r, o);
        });
        return out;
    }

    void electPreferredLeaders(Set<TopicPartition> partitions) throws Exception {
        var results = admin.electLeaders(ElectionType.PREFERRED, partitions).partitions().get();
        int failed = 0;
        for (var e : results.entrySet()) {
            if (e.getValue().isPresent() && !(e.getValue().get() instanceof ElectionNotNeededException)) {
                failed++;
                JOB.log("preferred leader of " + e.getKey() + " not elected: " + e.getValue().get().getMessage());
            }
        }
        if (failed > 0) JOB.log(failed + " partitions keep their leader for now; Kafka's auto.leader.rebalance moves them later");
    }

    // --- set-up ---------------------------------------------------------------------------------

    /** JobClient's settings (bootstrap, client.id, TLS) with this Job's timeouts. */
    static Properties clientConfig() throws Exception {
        Properties p = JOB.adminConfig();
        p.put("request.timeout.ms", "30000");
        p.put("default.api.timeout.ms", "120000");
        return p;
    }
}
