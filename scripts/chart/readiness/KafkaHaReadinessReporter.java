// The readiness check, run inside the Kafka JVM instead of a new JVM per probe (README "Probes").
// server.properties lists this class in metric.reporters, so Kafka instantiates it at start-up in
// its own process; it does nothing with metrics. One daemon thread re-checks every CHECK_SECONDS
// through a long-lived Admin client over the loopback and writes the verdict to
// $KAFKA_HA_RUN_DIR/ready.state, which ready.sh reads without starting a JVM:
//
//   ok <epoch seconds> <cpu ms> <checks>
//   no <epoch seconds> <cpu ms> <checks> <reason>
//
// The meaning is ready.sh's (it keeps the same check as its fallback for a state file that is
// missing or stale):
// - broker (combined or broker-only): in the ISR of every partition it hosts, except partitions it
//   is only receiving in a reassignment; partitions missing another broker do not count;
// - controller-only: the quorum lists this node (id and directory id) as a voter whose log is at
//   most KAFKA_HA_READY_MAX_QUORUM_LAG records behind the leader's.
// <cpu ms> is the CPU time of the checking thread and its Admin client's network thread since
// start-up, so the cost of readiness can be measured (test/e2e, npm run bench).
//
// Any failure is written as "no" with its reason and never reaches Kafka: the reporter cannot stop
// or slow the broker. Kafka may instantiate metric reporters more than once in a combined process
// (broker and controller); only the first instance runs the thread.
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

public final class KafkaHaReadinessReporter implements MetricsReporter, Runnable {
    static final int CHECK_SECONDS = 5;
    static final int REQUEST_TIMEOUT_MS = 10000;
    static final String CLIENT_ID = "kafka-ha-readiness";
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private volatile boolean running;
    private Thread thread;
    private Admin admin;
    private Thread adminThread;
    private long checks;
    private int nodeId = -1;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public void configure(Map<String, ?> configs) {
        Object id = configs.get("node.id");
        if (id != null) nodeId = Integer.parseInt(id.toString().trim());
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
        if (nodeId < 0 || System.getenv("KAFKA_HA_RUN_DIR") == null || !STARTED.compareAndSet(false, true)) return;
        running = true;
        thread = new Thread(this, CLIENT_ID);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void metricChange(KafkaMetric metric) {}

    @Override
    public void metricRemoval(KafkaMetric metric) {}

    @Override
    public void close() {
        if (thread == null) return;
        running = false;
        thread.interrupt();
        write("no", "Kafka is shutting down");
    }

    @Override
    public void run() {
        while (running) {
            String reason;
            try {
                reason = "controller".equals(System.getenv("KAFKA_HA_ROLE")) ? controllerProblem() : brokerProblem();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The client stays: it reconnects by itself, and a new one would log its whole config again.
                reason = "the admin request failed: " + rootMessage(e);
            }
            checks++;
            if (running) write(reason == null ? "ok" : "no", reason);
            try {
                TimeUnit.SECONDS.sleep(CHECK_SECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
        closeAdmin();
    }

    /** Null when this broker is in the ISR of every partition it hosts (not counting ones it is only receiving). */
    private String brokerProblem() throws Exception {
        if (!portOpen("KAFKA_HA_INTERNAL_PORT")) return "internal port " + System.getenv("KAFKA_HA_INTERNAL_PORT") + " does not accept connections yet";
        Admin a = admin("bootstrap.servers", "KAFKA_HA_INTERNAL_PORT", "internal-client.properties");
        Set<String> topics = a.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(REQUEST_TIMEOUT_MS)).names().get();
        Set<TopicPartition> missing = outOfIsr(a, topics);
        if (!missing.isEmpty()) {
            Map<TopicPartition, PartitionReassignment> moving = a.listPartitionReassignments(missing).reassignments().get();
            missing.removeIf(tp -> Optional.ofNullable(moving.get(tp)).map(r -> r.addingReplicas().contains(nodeId)).orElse(false));
        }
        if (!missing.isEmpty()) {
            // A move that completed between the two calls is in neither answer: ask again for the rest.
            Set<String> again = new TreeSet<>();
            for (TopicPartition tp : missing) again.add(tp.topic());
            missing.retainAll(outOfIsr(a, again));
        }
        if (missing.isEmpty()) return null;
        List<String> names = new ArrayList<>();
        for (TopicPartition tp : missing) names.add(tp.toString());
        return "broker " + nodeId + " is not yet in the ISR of: " + String.join(" ", names.subList(0, Math.min(names.size(), 20)))
            + (names.size() > 20 ? " (and " + (names.size() - 20) + " more)" : "");
    }

    /** The partitions of these topics that list this broker as a replica but not in their ISR. */
    private Set<TopicPartition> outOfIsr(Admin a, Set<String> topics) throws Exception {
        Map<String, TopicDescription> described = a.describeTopics(topics).allTopicNames().get();
        Set<TopicPartition> out = new TreeSet<>((x, y) -> x.toString().compareTo(y.toString()));
        for (TopicDescription d : described.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (hasNode(p.replicas(), nodeId) && !hasNode(p.isr(), nodeId)) out.add(new TopicPartition(d.name(), p.partition()));
            }
        }
        return out;
    }

    /** Null when the quorum lists this controller as a caught-up voter. */
    private String controllerProblem() throws Exception {
        if (!portOpen("KAFKA_HA_CONTROLLER_PORT")) return "controller port " + System.getenv("KAFKA_HA_CONTROLLER_PORT") + " does not accept connections yet";
        Admin a = admin("bootstrap.controllers", "KAFKA_HA_CONTROLLER_PORT", "controller-client.properties");
        QuorumInfo q = a.describeMetadataQuorum().quorumInfo().get();
        String dir = directoryId();
        long leaderEnd = -1;
        QuorumInfo.ReplicaState mine = null;
        for (QuorumInfo.ReplicaState r : q.voters()) {
            if (r.replicaId() == q.leaderId()) leaderEnd = r.logEndOffset();
            if (r.replicaId() == nodeId && (dir == null || r.replicaDirectoryId().toString().equals(dir))) mine = r;
        }
        if (mine == null) {
            boolean observer = q.observers().stream().anyMatch(r -> r.replicaId() == nodeId);
            return observer
                ? "controller " + nodeId + " is not a voter yet (an observer; auto-join adds it once it has caught up)"
                : "controller " + nodeId + (dir == null ? "" : " (directory " + dir + ")") + " is not in the quorum's replication status";
        }
        long maxLag = Long.parseLong(Optional.ofNullable(System.getenv("KAFKA_HA_READY_MAX_QUORUM_LAG")).orElse("1000"));
        long lag = leaderEnd - mine.logEndOffset();
        if (leaderEnd < 0 || lag > maxLag) {
            return "controller " + nodeId + " lags the quorum leader by " + (leaderEnd < 0 ? "?" : lag) + " records (at most " + maxLag + " allowed)";
        }
        return null;
    }

    /** Whether this pod's port accepts connections: until it does, the Admin client is not started (it would log every failed reconnect). */
    private static boolean portOpen(String portVariable) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("localhost", Integer.parseInt(System.getenv(portVariable))), 1000);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean hasNode(List<Node> nodes, int id) {
        for (Node n : nodes) if (n.id() == id) return true;
        return false;
    }

    /** The directory.id of this node's metadata log directory (a replaced disk leaves a stale voter entry). */
    private static String directoryId() throws IOException {
        String data = System.getenv("KAFKA_HA_DATA_DIR");
        if (data == null) return null;
        Path meta = Path.of(data, "meta.properties");
        if (!Files.exists(meta)) return null;
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        }
        return p.getProperty("directory.id");
    }

    /** The long-lived Admin client to this pod's own listener, with the client settings start.sh wrote for it. */
    private Admin admin(String bootstrapKey, String portVariable, String clientConfig) throws IOException {
        if (admin != null) return admin;
        Properties p = new Properties();
        Path file = Path.of(System.getenv("KAFKA_HA_RUN_DIR"), clientConfig);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        p.put(bootstrapKey, "localhost:" + System.getenv(portVariable));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        p.put(AdminClientConfig.RETRIES_CONFIG, 0);
        admin = Admin.create(p);
        adminThread = null;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(CLIENT_ID) && t != Thread.currentThread()) adminThread = t;
        }
        return admin;
    }

    private void closeAdmin() {
        if (admin == null) return;
        try {
            admin.close(java.time.Duration.ofSeconds(2));
        } catch (RuntimeException ignored) {
            // closing a broken client: nothing left to do
        }
        admin = null;
    }

    private long cpuMillis() {
        long nanos = 0;
        for (Thread t : new Thread[] {thread, adminThread}) {
            if (t != null) nanos += Math.max(0, threads.getThreadCpuTime(t.getId()));
        }
        return nanos / 1_000_000;
    }

    private synchronized void write(String verdict, String reason) {
        try {
            Path dir = Path.of(System.getenv("KAFKA_HA_RUN_DIR"));
            Path tmp = dir.resolve("ready.state.tmp");
            String line = verdict + " " + (System.currentTimeMillis() / 1000) + " " + cpuMillis() + " " + checks
                + (reason == null ? "" : " " + reason.replace('\n', ' ')) + "\n";
            Files.writeString(tmp, line, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("ready.state"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException ignored) {
            // ready.sh then finds the state stale and checks by itself
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
