// What the chart's hook-Job classes share (rebalance/Rebalance, features/FeatureLevels,
// quorum/ControllerRemoval): their environment, their log lines and exit codes, and the settings of
// their Kafka Admin client. The chart ships this class compiled next to each of them, in each Job's
// class ConfigMap (templates/_jobs.tpl, kafka-ha.classConfigMap), and their build scripts compile
// them against files/jobs/JobClient.class, so rebuild it first (scripts/chart/jobs/build.sh) when it changes:
//
//   java -cp '/opt/kafka/libs/*:/opt/kafka-ha/class' Rebalance|FeatureLevels|ControllerRemoval
//
// Environment: KAFKA_HA_BOOTSTRAP (the brokers' internal listener addresses), KAFKA_HA_TLS_DIR
// (ca.crt, tls.crt, tls.key of the release's certificate; empty: plaintext).
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

public final class JobClient {
    /** The Job's name: its client.id is kafka-ha-<name>, its log lines start with "[kafka-ha <name>] ". */
    final String name;
    final String prefix;

    JobClient(String name) {
        this.name = name;
        this.prefix = "[kafka-ha " + name + "] ";
    }

    /**
     * The Admin client's settings: the brokers' internal listener, client.id kafka-ha-<name> and, when
     * KAFKA_HA_TLS_DIR is set, TLS with the release's certificate and its CA (PEM). The Job adds its
     * own timeouts.
     */
    Properties adminConfig() throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", env("KAFKA_HA_BOOTSTRAP", null));
        p.put("client.id", "kafka-ha-" + name);
        String tls = env("KAFKA_HA_TLS_DIR", "");
        if (!tls.isEmpty()) {
            p.put("security.protocol", "SSL");
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", tls + "/ca.crt");
            p.put("ssl.keystore.type", "PEM");
            p.put("ssl.keystore.certificate.chain", Files.readString(Path.of(tls, "tls.crt")).replace("\r", ""));
            p.put("ssl.keystore.key", Files.readString(Path.of(tls, "tls.key")).replace("\r", ""));
        }
        return p;
    }

    /** The variable's value; fallback when it is unset or empty, and exit 1 naming it when fallback is null. */
    String env(String variable, String fallback) {
        String v = System.getenv(variable);
        if (v != null && !v.isEmpty()) return v;
        if (fallback == null) fail(variable + " is not set");
        return fallback;
    }

    void log(String message) {
        System.out.println(prefix + message);
    }

    /** Exit 1: an error; the Job retries (every step of these classes is idempotent). */
    void fail(String message) {
        System.err.println(prefix + "ERROR: " + message);
        System.exit(1);
    }

    /** Exit 2: the Job's podFailurePolicy fails the Job at once (a refusal does not go away by retrying). */
    void refuse(String message) {
        System.err.println(prefix + "ERROR: " + message);
        System.exit(2);
    }
}
