// The benchmark tier's failover probe (test/bench/failover.ts, rolling-restart.ts): one small record
// per partition every few milliseconds with acks=all, timed per partition, so the bench can tell how
// long each partition went without an acknowledgement while a broker died, a leader moved or the
// brokers rolled.
//
// One KafkaProducer per partition, each fed by a thread of its own: a producer whose partition's
// leader is gone holds its own requests, connections, metadata and idempotence state, so one stuck
// partition never delays another's acknowledgements (a shared producer could: its sends share a
// buffer, connections per broker and, for idempotence, one producer epoch).
//
// Not shipped compiled: the bench compiles it at run time (scripts/lib/build-kafka-class.sh, against
// the chart's kafka-clients) into a temporary directory and mounts the class through a ConfigMap;
// the pod runs it with the Kafka image's own libraries (kafka-run-class.sh, CLASSPATH=<dir>).
// Single class, default package, lambdas only (no nested classes): build-class.sh keeps one file.
//
//   FailoverProbe <client.properties> <topic> <partitions> <interval ms> <max seconds> <stop file> <gap event ms>
//
// client.properties: the producer's settings (bootstrap.servers at least); serializers are added.
// Nothing else is set here: the bench passes the Java client's defaults (acks=all, idempotence,
// delivery.timeout.ms 120 s) or a profile's settings. It stops when <stop file> exists or after
// <max seconds>, closes the producers (waiting up to 30 s for the last sends), and exits 0.
//
// Output, one JSON object per stdout line (times are epoch milliseconds):
//   {"event":"start","time":..,"topic":..,"partitions":n,"intervalMs":..,"gapEventMs":..,"config":{..}}
//   {"event":"gap","partition":p,"from":t0,"to":t1,"ms":t1-t0}   consecutive acks of p >= gap event ms apart
//   {"event":"fail","partition":p,"sentAt":t0,"time":t1,"error":".."}   a send that failed
//   {"event":"stats","time":..,"partitions":[{"partition":p,"sent":..,"acked":..,"failed":..,"lastAck":..}]}   every 5 s
//   {"event":"summary","time":..,"stoppedAt":..,"partitions":[{"partition":p,"sent":..,"acked":..,"failed":..,
//     "longestGapMs":..,"gapFrom":..,"gapTo":..,"firstAck":..,"lastAck":..}]}   once, at the end
//     (stoppedAt: when sending stopped; time: once the producers closed)
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

public final class FailoverProbe {
    static final String SERIALIZER = "org.apache.kafka.common.serialization.ByteArraySerializer";

    static String topic;
    static int partitions;
    static long intervalMs;
    static long gapEventMs;
    static volatile boolean running = true;

    // Per partition, guarded by locks[p]: each producer's callbacks run on its own I/O thread.
    static Object[] locks;
    static long[] sent;
    static long[] acked;
    static long[] failed;
    static long[] firstAck;
    static long[] lastAck;
    static long[] longestGap;
    static long[] gapFrom;
    static long[] gapTo;

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: FailoverProbe <client.properties> <topic> <partitions> <interval ms> <max seconds> <stop file> <gap event ms>");
            System.exit(2);
        }
        Properties config = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            config.load(in);
        }
        config.put("key.serializer", SERIALIZER);
        config.put("value.serializer", SERIALIZER);
        topic = args[1];
        partitions = Integer.parseInt(args[2]);
        intervalMs = Long.parseLong(args[3]);
        long deadline = System.currentTimeMillis() + 1000L * Long.parseLong(args[4]);
        Path stopFile = Path.of(args[5]);
        gapEventMs = Long.parseLong(args[6]);

        locks = new Object[partitions];
        sent = new long[partitions];
        acked = new long[partitions];
        failed = new long[partitions];
        firstAck = new long[partitions];
        lastAck = new long[partitions];
        longestGap = new long[partitions];
        gapFrom = new long[partitions];
        gapTo = new long[partitions];
        for (int p = 0; p < partitions; p++) locks[p] = new Object();

        StringBuilder cfg = new StringBuilder();
        for (var e : new TreeMap<>(config).entrySet()) {
            if (cfg.length() > 0) cfg.append(',');
            String key = String.valueOf(e.getKey());
            String value = key.contains("password") || key.contains("jaas") ? "[hidden]" : String.valueOf(e.getValue());
            cfg.append(json(key)).append(':').append(json(value));
        }
        emit("{\"event\":\"start\",\"time\":" + System.currentTimeMillis() + ",\"topic\":" + json(topic) + ",\"partitions\":" + partitions
                + ",\"intervalMs\":" + intervalMs + ",\"gapEventMs\":" + gapEventMs + ",\"config\":{" + cfg + "}}");

        List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            Properties own = new Properties();
            own.putAll(config);
            own.put("client.id", "failover-probe-" + p);
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(own);
            producers.add(producer);
            final int partition = p;
            Thread t = new Thread(() -> sendLoop(producer, partition), "sender-" + p);
            t.setDaemon(true);
            senders.add(t);
        }
        for (Thread t : senders) t.start();

        long nextStats = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline && !Files.exists(stopFile)) {
            Thread.sleep(100);
            if (System.currentTimeMillis() >= nextStats) {
                emit(stats());
                nextStats += 5000;
            }
        }
        running = false;
        long stoppedAt = System.currentTimeMillis();
        for (Thread t : senders) t.join(5000);
        // close() waits for every send's outcome (bounded): the last records count like any other.
        List<Thread> closers = new ArrayList<>();
        for (KafkaProducer<byte[], byte[]> producer : producers) {
            Thread c = new Thread(() -> producer.close(Duration.ofSeconds(30)));
            c.start();
            closers.add(c);
        }
        for (Thread c : closers) c.join(35000);
        emit(summary(stoppedAt, System.currentTimeMillis()));
        System.out.flush();
        System.exit(0);
    }

    static void sendLoop(KafkaProducer<byte[], byte[]> producer, int partition) {
        long next = System.currentTimeMillis();
        long seq = 0;
        while (running) {
            long sentAt = System.currentTimeMillis();
            byte[] value = (partition + "-" + seq++).getBytes(StandardCharsets.US_ASCII);
            synchronized (locks[partition]) {
                sent[partition]++;
            }
            try {
                producer.send(new ProducerRecord<>(topic, partition, null, value), (metadata, error) -> outcome(partition, sentAt, error));
            } catch (RuntimeException e) {
                outcome(partition, sentAt, e);
            }
            next += intervalMs;
            long now = System.currentTimeMillis();
            // A send that blocked (metadata, a full buffer) does not cause a burst afterwards.
            if (next < now) next = now;
            try {
                Thread.sleep(next - now);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static void outcome(int p, long sentAt, Exception error) {
        long now = System.currentTimeMillis();
        synchronized (locks[p]) {
            if (error != null) {
                failed[p]++;
                emit("{\"event\":\"fail\",\"partition\":" + p + ",\"sentAt\":" + sentAt + ",\"time\":" + now + ",\"error\":"
                        + json(error.getClass().getSimpleName() + ": " + error.getMessage()) + "}");
                return;
            }
            acked[p]++;
            if (firstAck[p] == 0) firstAck[p] = now;
            if (lastAck[p] > 0) {
                long gap = now - lastAck[p];
                if (gap > longestGap[p]) {
                    longestGap[p] = gap;
                    gapFrom[p] = lastAck[p];
                    gapTo[p] = now;
                }
                if (gap >= gapEventMs) emit("{\"event\":\"gap\",\"partition\":" + p + ",\"from\":" + lastAck[p] + ",\"to\":" + now + ",\"ms\":" + gap + "}");
            }
            lastAck[p] = now;
        }
    }

    static String stats() {
        StringBuilder b = new StringBuilder("{\"event\":\"stats\",\"time\":" + System.currentTimeMillis() + ",\"partitions\":[");
        for (int p = 0; p < partitions; p++) {
            synchronized (locks[p]) {
                if (p > 0) b.append(',');
                b.append("{\"partition\":").append(p).append(",\"sent\":").append(sent[p]).append(",\"acked\":").append(acked[p]);
                b.append(",\"failed\":").append(failed[p]).append(",\"lastAck\":").append(lastAck[p]).append('}');
            }
        }
        return b.append("]}").toString();
    }

    static String summary(long stoppedAt, long time) {
        StringBuilder b = new StringBuilder("{\"event\":\"summary\",\"time\":" + time + ",\"stoppedAt\":" + stoppedAt + ",\"partitions\":[");
        for (int p = 0; p < partitions; p++) {
            synchronized (locks[p]) {
                if (p > 0) b.append(',');
                b.append("{\"partition\":").append(p).append(",\"sent\":").append(sent[p]).append(",\"acked\":").append(acked[p]);
                b.append(",\"failed\":").append(failed[p]).append(",\"longestGapMs\":").append(longestGap[p]);
                b.append(",\"gapFrom\":").append(gapFrom[p]).append(",\"gapTo\":").append(gapTo[p]);
                b.append(",\"firstAck\":").append(firstAck[p]).append(",\"lastAck\":").append(lastAck[p]).append('}');
            }
        }
        return b.append("]}").toString();
    }

    /** One whole line at a time (PrintStream.println is synchronized). */
    static void emit(String line) {
        System.out.println(line);
    }

    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : String.valueOf(s).toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
