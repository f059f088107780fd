// Removes dedicated KRaft controllers from the quorum when controller.replicas is lowered
// (templates/controller-removal-job.yaml, README "Resize the controller quorum"). The chart ships this
// class compiled, like rebalance/Rebalance, and a pre-upgrade hook Job runs it, before the upgrade
// changes the controller StatefulSet, with the Kafka image's own client libraries:
//
//   java -cp '/opt/kafka/libs/*:<dir>' ControllerRemoval
//
// For each controller that goes, from the highest ordinal down to the new count, one at a time:
//   1. wait until the quorum has a leader and every voter is caught up (its log end offset within
//      MAX_LAG records of the leader's, and caught up with the leader within MAX_CAUGHT_UP_AGE_MS by the
//      leader's own clock), and every controller that stays is a voter;
//   2. scale the controller StatefulSet down by one (PATCH of its scale subresource), so the pod with
//      that ordinal stops;
//   3. wait until that pod is gone;
//   4. remove it as a voter (Admin.removeRaftVoter with the directory id the quorum lists for it), once
//      the voters that stay are caught up, and wait until it is no longer a voter;
//   5. unregister it (Admin.unregisterController, KIP-1312), so its registration no longer counts when
//      a later upgrade raises the feature levels (templates/features-job.yaml).
//
// Why stopped first and removed second: the controllers run with controller.quorum.auto.join.enable
// (files/scripts/start.sh), and a controller that still runs after its removal is an observer that is
// not in the voter set, which auto-join adds back as a voter at once (KIP-853); a running controller
// also registers itself again after an unregistration (KIP-1312). This is the order Kafka documents for
// a dynamic quorum: shut the controller down, then run `kafka-metadata-quorum.sh remove-controller`
// (with --unregister). Between steps 2 and 4 the quorum has one voter down, which is what it can lose:
// a healthy, caught-up quorum of N >= 3 voters keeps a majority without one of them, and every step
// waits for that health first, so no step takes away more than the quorum can lose.
//
// Every step is idempotent and looked up afresh (StatefulSet replicas, pods, voter set), so a rerun
// after a partial run continues where that one stopped.
//
// Environment: KAFKA_HA_BOOTSTRAP (the brokers' internal listener addresses), KAFKA_HA_TLS_DIR (ca.crt,
// tls.crt, tls.key; empty: plaintext), KAFKA_HA_CONTROLLERS (the new count: ordinals 0..n-1 stay),
// KAFKA_HA_CONTROLLERS_BEFORE (the count the release ran, when the chart could read it; may be empty),
// KAFKA_HA_CONTROLLER_ID_BASE (node id of ordinal 0), KAFKA_HA_NAMESPACE, KAFKA_HA_STATEFULSET (the
// controller StatefulSet; pod <name>-<ordinal>), KAFKA_HA_WAIT_SECONDS (bound of each wait, default
// 600), KUBERNETES_SERVICE_HOST/PORT and the pod's service-account token and CA (KAFKA_HA_SA_DIR,
// default /var/run/secrets/kubernetes.io/serviceaccount).
// Exit 0: done (or nothing to remove). Exit 1: an error (the Job retries; every step is idempotent).
// Exit 2: refused (the Job fails at once): no quorum leader or a voter that stays not caught up within
// the bound, a controller that stays not a voter, the Kubernetes API refusing the Job's account.
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.ControllerIdNotRegisteredException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

public final class ControllerRemoval {
    static final JobClient JOB = new JobClient("controller-removal");
    /** A voter within this many metadata records of the leader is caught up (as ready.sh judges controllers). */
    static final long MAX_LAG = 1000;
    /** ... and was caught up with the leader this recently (the leader appends a record every 500 ms). */
    static final long MAX_CAUGHT_UP_AGE_MS = 10000;

    public static void main(String[] args) throws Exception {
        int keep = Integer.parseInt(JOB.env("KAFKA_HA_CONTROLLERS", null));
        String before = JOB.env("KAFKA_HA_CONTROLLERS_BEFORE", "");
        int base = Integer.parseInt(JOB.env("KAFKA_HA_CONTROLLER_ID_BASE", null));
        long waitMs = 1000L * Long.parseLong(JOB.env("KAFKA_HA_WAIT_SECONDS", "600"));
        if (keep < 1) JOB.refuse("KAFKA_HA_CONTROLLERS=" + keep + ": a quorum needs at least one controller");
        ControllerRemoval r = new ControllerRemoval(JOB.env("KAFKA_HA_NAMESPACE", null), JOB.env("KAFKA_HA_STATEFULSET", null), keep, base, waitMs);
        Integer replicas = r.statefulSetReplicas();
        if (replicas == null) {
            JOB.log("StatefulSet " + r.statefulSet + " does not exist (yet): no controller to remove");
            return;
        }
        try (Admin admin = Admin.create(clientConfig())) {
            r.admin = admin;
            r.run(replicas, before.isEmpty() ? 0 : Integer.parseInt(before));
        }
    }

    final String namespace;
    final String statefulSet;
    final int keep;
    final int base;
    final long waitMs;
    final HttpClient kube;
    final String apiServer;
    final Path serviceAccount;
    Admin admin;

    ControllerRemoval(String namespace, String statefulSet, int keep, int base, long waitMs) throws Exception {
        this.namespace = namespace;
        this.statefulSet = statefulSet;
        this.keep = keep;
        this.base = base;
        this.waitMs = waitMs;
        String host = JOB.env("KUBERNETES_SERVICE_HOST", null);
        String port = JOB.env("KUBERNETES_SERVICE_PORT", "443");
        this.apiServer = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        this.serviceAccount = Path.of(JOB.env("KAFKA_HA_SA_DIR", "/var/run/secrets/kubernetes.io/serviceaccount"));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(serviceAccount.resolve("ca.crt"))))) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        this.kube = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    String id(int ordinal) {
        return "controller " + (base + ordinal) + " (pod " + statefulSet + "-" + ordinal + ")";
    }

    void run(int replicas, int before) throws Exception {
        QuorumInfo q = quorum();
        int top = Math.max(replicas, before);
        for (QuorumInfo.ReplicaState v : q.voters()) {
            if (v.replicaId() >= base) top = Math.max(top, v.replicaId() - base + 1);
        }
        JOB.log("StatefulSet " + statefulSet + ": " + replicas + " replicas; voters " + voterIds(q) + ", leader " + q.leaderId() + "; controller.replicas=" + keep);
        if (top <= keep) {
            JOB.log("nothing to remove: no controller at ordinal " + keep + " or above runs or votes");
            return;
        }
        List<Integer> going = new ArrayList<>();
        for (int o = top - 1; o >= keep; o--) going.add(base + o);
        long started = System.currentTimeMillis();
        JOB.log("removing controllers " + going + " one at a time, highest first (" + top + " -> " + keep + " controllers)");
        for (int o = top - 1; o >= keep; o--) removeOne(o);
        q = awaitHealthy(-1, "after the removal");
        JOB.log("done in " + (System.currentTimeMillis() - started) / 1000 + "s: voters " + voterIds(q) + ", leader " + q.leaderId() + ", every voter caught up");
    }

    void removeOne(int ordinal) throws Exception {
        int id = base + ordinal;
        long started = System.currentTimeMillis();
        Integer replicas = statefulSetReplicas();
        if (replicas != null && replicas > ordinal) {
            awaitHealthy(-1, "before stopping " + id(ordinal));
            scaleTo(ordinal);
            JOB.log("scaled StatefulSet " + statefulSet + " to " + ordinal + " replicas: " + id(ordinal) + " stops");
        }
        awaitPodGone(statefulSet + "-" + ordinal);
        boolean wasVoter = false;
        long deadline = System.currentTimeMillis() + waitMs;
        for (;;) {
            List<QuorumInfo.ReplicaState> entries = voterEntries(quorum(), id);
            if (entries.isEmpty()) break;
            wasVoter = true;
            awaitHealthy(id, "before removing voter " + id);
            for (QuorumInfo.ReplicaState e : entries) {
                try {
                    admin.removeRaftVoter(id, e.replicaDirectoryId()).all().get();
                    JOB.log("removed voter " + id + " (directory " + e.replicaDirectoryId() + ") from the KRaft quorum");
                } catch (ExecutionException err) {
                    if (System.currentTimeMillis() > deadline) JOB.fail("voter " + id + " could not be removed within KAFKA_HA_WAIT_SECONDS: " + err.getCause());
                    JOB.log("removing voter " + id + " (directory " + e.replicaDirectoryId() + ") failed, trying again: " + err.getCause());
                    Thread.sleep(5000);
                }
            }
        }
        if (!wasVoter) JOB.log(id(ordinal) + " is not a voter (removed before, or it never joined)");
        unregister(id);
        JOB.log(id(ordinal) + " is out: stopped, not a voter, not registered (" + (System.currentTimeMillis() - started) / 1000 + "s)");
    }

    /** Admin.unregisterController: gone from the cluster's controller registrations, so no feature upgrade waits for it. */
    void unregister(int id) throws Exception {
        long deadline = System.currentTimeMillis() + waitMs;
        for (;;) {
            try {
                admin.unregisterController(id).all().get();
                JOB.log("unregistered controller " + id + " from the cluster metadata");
                return;
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof ControllerIdNotRegisteredException || c instanceof BrokerIdNotRegisteredException) {
                    JOB.log("controller " + id + " is not registered (unregistered before)");
                    return;
                }
                if (c instanceof UnsupportedVersionException) {
                    JOB.log("WARNING: controller " + id + " stays registered: this cluster's metadata.version does not support unregistering controllers yet ("
                            + c.getMessage() + "). It is out of the quorum; once metadata.version is raised run "
                            + "`kafka-cluster.sh unregister-controller --id " + id + "`, or a later feature upgrade waits for it.");
                    return;
                }
                if (System.currentTimeMillis() > deadline) JOB.fail("controller " + id + " could not be unregistered within KAFKA_HA_WAIT_SECONDS: " + c);
                JOB.log("unregistering controller " + id + " failed, trying again: " + c);
                Thread.sleep(5000);
            }
        }
    }

    // --- the quorum -----------------------------------------------------------------------------

    /** Admin.describeMetadataQuorum, retried until the bound: no answer means no leader (refused). */
    QuorumInfo quorum() throws Exception {
        long deadline = System.currentTimeMillis() + waitMs;
        long lastLog = 0;
        for (;;) {
            try {
                return admin.describeMetadataQuorum().quorumInfo().get();
            } catch (ExecutionException e) {
                if (System.currentTimeMillis() > deadline) {
                    JOB.refuse("the KRaft quorum did not answer within KAFKA_HA_WAIT_SECONDS (no leader?): " + e.getCause() + ". Nothing more was changed.");
                }
                if (System.currentTimeMillis() - lastLog > 15000) {
                    JOB.log("the quorum does not answer yet: " + e.getCause());
                    lastLog = System.currentTimeMillis();
                }
                Thread.sleep(2000);
            }
        }
    }

    static List<QuorumInfo.ReplicaState> voterEntries(QuorumInfo q, int id) {
        return q.voters().stream().filter(v -> v.replicaId() == id).collect(Collectors.toList());
    }

    static TreeSet<Integer> voterIds(QuorumInfo q) {
        return q.voters().stream().map(QuorumInfo.ReplicaState::replicaId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** What keeps the quorum from being healthy, leaving out voter `except` (-1: none); empty when healthy. */
    List<String> problems(QuorumInfo q, int except) {
        List<String> out = new ArrayList<>();
        QuorumInfo.ReplicaState leader = null;
        for (QuorumInfo.ReplicaState v : q.voters()) if (v.replicaId() == q.leaderId()) leader = v;
        if (q.leaderId() < 0 || leader == null) {
            out.add("no quorum leader (LeaderId " + q.leaderId() + ")");
            return out;
        }
        // The leader reports its own timestamps as its current time (DescribeQuorum).
        long now = leader.lastCaughtUpTimestamp().orElse(System.currentTimeMillis());
        for (QuorumInfo.ReplicaState v : q.voters()) {
            if (v.replicaId() == except || v.replicaId() == q.leaderId()) continue;
            long lag = leader.logEndOffset() - v.logEndOffset();
            if (v.logEndOffset() < 0) out.add("voter " + v.replicaId() + " has not fetched from leader " + q.leaderId() + " (stopped or unreachable?)");
            else if (lag > MAX_LAG) out.add("voter " + v.replicaId() + " lags the leader by " + lag + " records");
            else if (v.lastCaughtUpTimestamp().isEmpty() || v.lastCaughtUpTimestamp().getAsLong() < 0) out.add("voter " + v.replicaId() + " has not caught up with the leader yet");
            else if (now - v.lastCaughtUpTimestamp().getAsLong() > MAX_CAUGHT_UP_AGE_MS) out.add("voter " + v.replicaId() + " last caught up " + (now - v.lastCaughtUpTimestamp().getAsLong()) / 1000 + "s ago");
        }
        TreeSet<Integer> voters = voterIds(q);
        for (int o = 0; o < keep; o++) {
            if (!voters.contains(base + o)) out.add(id(o) + ", which stays, is not a voter");
        }
        return out;
    }

    /**
     * Waits until problems() is empty; refuses (exit 2) after the bound, so a quorum that cannot lose a
     * voter now is never asked to: the upgrade stops before anything more changes.
     */
    QuorumInfo awaitHealthy(int except, String why) throws Exception {
        long deadline = System.currentTimeMillis() + waitMs;
        long lastLog = 0;
        for (;;) {
            QuorumInfo q = quorum();
            List<String> problems = problems(q, except);
            if (problems.isEmpty()) {
                JOB.log("quorum healthy " + why + ": leader " + q.leaderId() + ", voters " + voterIds(q) + (except >= 0 ? " (voter " + except + " is stopped)" : "") + ", all caught up");
                return q;
            }
            if (System.currentTimeMillis() > deadline) {
                JOB.refuse("refused " + why + ": the quorum is not healthy within KAFKA_HA_WAIT_SECONDS: " + String.join("; ", problems)
                        + ". Removing a voter now could take more than the quorum can lose. Nothing more was changed; fix the quorum (kafka-metadata-quorum.sh describe --replication), then run the upgrade again: it continues from here.");
            }
            if (System.currentTimeMillis() - lastLog > 15000) {
                JOB.log("waiting " + why + ": " + String.join("; ", problems));
                lastLog = System.currentTimeMillis();
            }
            Thread.sleep(2000);
        }
    }

    // --- Kubernetes -----------------------------------------------------------------------------

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        String token = Files.readString(serviceAccount.resolve("token")).trim();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiServer + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) b.GET();
        else b.header("Content-Type", "application/merge-patch+json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> res = kube.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() == 401 || res.statusCode() == 403) {
            JOB.refuse(method + " " + path + " answered HTTP " + res.statusCode() + " (the Job's account may not do it; its Role is in templates/controller-removal-job.yaml): " + res.body());
        }
        return res;
    }

    String scalePath() {
        return "/apis/apps/v1/namespaces/" + namespace + "/statefulsets/" + statefulSet + "/scale";
    }

    /** The controller StatefulSet's spec.replicas (its scale subresource), null when it does not exist. */
    Integer statefulSetReplicas() throws Exception {
        HttpResponse<String> res = call("GET", scalePath(), null);
        if (res.statusCode() == 404) return null;
        if (res.statusCode() != 200) JOB.fail("GET " + scalePath() + " answered HTTP " + res.statusCode() + ": " + res.body());
        Matcher m = Pattern.compile("\"spec\"\\s*:\\s*\\{[^}]*\"replicas\"\\s*:\\s*(\\d+)").matcher(res.body());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    void scaleTo(int replicas) throws Exception {
        HttpResponse<String> res = call("PATCH", scalePath(), "{\"spec\":{\"replicas\":" + replicas + "}}");
        if (res.statusCode() != 200) JOB.fail("PATCH " + scalePath() + " answered HTTP " + res.statusCode() + ": " + res.body());
    }

    void awaitPodGone(String pod) throws Exception {
        String path = "/api/v1/namespaces/" + namespace + "/pods/" + pod;
        long deadline = System.currentTimeMillis() + waitMs;
        long lastLog = 0;
        for (;;) {
            HttpResponse<String> res = call("GET", path, null);
            if (res.statusCode() == 404) {
                JOB.log("pod " + pod + " is gone");
                return;
            }
            if (res.statusCode() != 200) JOB.fail("GET " + path + " answered HTTP " + res.statusCode() + ": " + res.body());
            if (System.currentTimeMillis() > deadline) JOB.fail("pod " + pod + " is still there after KAFKA_HA_WAIT_SECONDS; its voter was not removed");
            if (System.currentTimeMillis() - lastLog > 15000) {
                JOB.log("waiting for pod " + pod + " to stop");
                lastLog = System.currentTimeMillis();
            }
            Thread.sleep(2000);
        }
    }

    // --- set-up ---------------------------------------------------------------------------------

    /** JobClient's settings (bootstrap, client.id, TLS) with this Job's timeouts. */
    static Properties clientConfig() throws Exception {
        Properties p = JOB.adminConfig();
        p.put("request.timeout.ms", "30000");
        p.put("default.api.timeout.ms", "60000");
        return p;
    }
}
