// Raises the cluster's finalized feature levels (metadata.version, kraft.version, group.version, ...)
// to those of the Kafka release this image runs, once every broker and controller runs it
// (templates/features-job.yaml, README "Upgrade Kafka"). The chart ships this class compiled, like
// rebalance/Rebalance, and a post-upgrade hook Job runs it with the image's own broker libraries:
//
//   java -cp '/opt/kafka/libs/*:<dir>' FeatureLevels
//
// The target is what `kafka-features.sh upgrade --release-version <latest>` of this Kafka sets: the
// latest production metadata.version and every other production feature at its default for it.
// Only features below their target are raised (never lowered). The controllers accept the change
// only when every registered broker and controller supports it, which is how "every node runs the
// new version" is checked: until then the Job retries, and logs why, every 10 s.
//
// Environment: KAFKA_HA_BOOTSTRAP (internal listener addresses), KAFKA_HA_TLS_DIR (ca.crt, tls.crt,
// tls.key; empty: plaintext), KAFKA_HA_WAIT_SECONDS (default 1800). Exit 1 when the deadline passes.
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

public final class FeatureLevels {
    static final JobClient JOB = new JobClient("features");

    public static void main(String[] args) throws Exception {
        long deadline = System.currentTimeMillis() + 1000L * Long.parseLong(JOB.env("KAFKA_HA_WAIT_SECONDS", "1800"));
        MetadataVersion latest = MetadataVersion.latestProduction();
        Map<String, Short> target = new TreeMap<>();
        target.put(MetadataVersion.FEATURE_NAME, latest.featureLevel());
        for (Feature f : Feature.PRODUCTION_FEATURES) target.put(f.featureName(), f.defaultLevel(latest));
        JOB.log("this image's Kafka: metadata.version " + latest.version() + " (" + latest.featureLevel() + "), target levels " + target);
        try (Admin admin = Admin.create(clientConfig())) {
            long lastLog = 0;
            for (;;) {
                Map<String, FeatureUpdate> raise = new TreeMap<>();
                try {
                    Map<String, FinalizedVersionRange> finalized = admin.describeFeatures().featureMetadata().get().finalizedFeatures();
                    target.forEach((name, level) -> {
                        FinalizedVersionRange now = finalized.get(name);
                        if (level > 0 && (now == null || now.maxVersionLevel() < level)) raise.put(name, new FeatureUpdate(level, FeatureUpdate.UpgradeType.UPGRADE));
                    });
                    if (raise.isEmpty()) {
                        JOB.log("every feature is at its target level: nothing to raise");
                        return;
                    }
                    admin.updateFeatures(raise, new UpdateFeaturesOptions()).all().get();
                    JOB.log("raised " + describe(raise) + ": every broker and controller runs this Kafka");
                    return;
                } catch (ExecutionException e) {
                    if (System.currentTimeMillis() > deadline) JOB.fail("not raised within KAFKA_HA_WAIT_SECONDS: " + e.getCause().getMessage());
                    if (System.currentTimeMillis() - lastLog > 30000) {
                        JOB.log("not yet (" + describe(raise) + "): " + e.getCause().getMessage());
                        lastLog = System.currentTimeMillis();
                    }
                    Thread.sleep(10000);
                }
            }
        }
    }

    static String describe(Map<String, FeatureUpdate> raise) {
        StringBuilder out = new StringBuilder();
        raise.forEach((name, u) -> out.append(out.length() == 0 ? "" : ", ").append(name).append('=').append(u.maxVersionLevel()));
        return out.toString();
    }

    /** JobClient's settings (bootstrap, client.id, TLS) with this Job's timeouts. */
    static Properties clientConfig() throws Exception {
        Properties p = JOB.adminConfig();
        p.put("default.api.timeout.ms", "60000");
        return p;
    }
}
