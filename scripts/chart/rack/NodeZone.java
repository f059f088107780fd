// Prints the value of one label of the Node this pod runs on, read from the Kubernetes API with the
// pod's service-account token. Needs only a Java 17+ runtime (the Kafka image has one; it has no
// curl and no compiler), so the chart ships this class, compiled, in its scripts ConfigMap.
//
//   java -cp <dir> NodeZone <node-name> <label-key>
//
// Environment: KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT (set by Kubernetes),
// KAFKA_HA_SA_DIR (default /var/run/secrets/kubernetes.io/serviceaccount: token, ca.crt).
// Exit codes: 0 value printed, 2 label missing on the node (the message names the values that fix
// it), 1 any other error (message on stderr).
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public final class NodeZone {
    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (Exception e) {
            System.err.println("rack: " + e);
            System.exit(1);
        }
    }

    /** The one line a user sees in `kubectl logs <pod> -c rack` when the node has no zone label. */
    static String missingLabel(String node, String label) {
        return "rack: node " + node + " has no label " + label + ", so this broker gets no broker.rack and does not start."
            + " Either label every node that may run a broker with its zone (kubectl label node " + node + " " + label + "=<zone>;"
            + " a zone under another label: set rackAwareness.nodeLabel and topologySpread.zone.topologyKey to it),"
            + " or, on a cluster without zones, set rackAwareness.enabled=false and topologySpread.zone.enabled=false"
            + " (spread over hostnames only; chart README: \"A cluster without zone labels\").";
    }

    static int run(String[] args) throws Exception {
        if (args.length != 2 || args[0].isEmpty()) {
            System.err.println("rack: usage: NodeZone <node-name> <label-key>");
            return 1;
        }
        String node = args[0];
        String label = args[1];
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        String port = System.getenv().getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        if (host == null || host.isEmpty()) {
            System.err.println("rack: KUBERNETES_SERVICE_HOST is not set");
            return 1;
        }
        Path sa = Path.of(System.getenv().getOrDefault("KAFKA_HA_SA_DIR", "/var/run/secrets/kubernetes.io/serviceaccount"));
        String token = Files.readString(sa.resolve("token")).trim();

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        int i = 0;
        for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(sa.resolve("ca.crt"))))) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);

        if (host.contains(":")) host = "[" + host + "]";
        URI uri = URI.create("https://" + host + ":" + port + "/api/v1/nodes/"
            + URLEncoder.encode(node, StandardCharsets.UTF_8));
        HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
        HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            System.err.println("rack: GET " + uri.getPath() + " answered HTTP " + res.statusCode() + ": " + res.body());
            return 1;
        }
        // metadata.labels is the first "labels" object of a Node; label keys and values never hold
        // quotes or braces, so the object ends at the next '}'.
        String body = res.body();
        Matcher m = Pattern.compile("\"labels\"\\s*:\\s*\\{([^}]*)\\}").matcher(body);
        if (m.find()) {
            Matcher v = Pattern.compile("\"" + Pattern.quote(label) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(m.group(1));
            if (v.find() && !v.group(1).isEmpty()) {
                System.out.println(v.group(1));
                return 0;
            }
        }
        System.err.println(missingLabel(node, label));
        return 2;
    }
}
