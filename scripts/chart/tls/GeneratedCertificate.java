// tls.source=generated: creates the release's TLS Secret (tls.crt, tls.key, ca.crt) once, and never
// again while it exists. A CA and a server certificate signed by it are made with keytool (in every
// Java runtime; the Kafka image has no openssl and no compiler), the key is written as PKCS#8 PEM
// (what Kafka reads), and the Secret is created through the Kubernetes API with the Job's
// service-account token. The CA's private key is discarded: nothing else is ever signed by it.
//
//   java -cp <dir> GeneratedCertificate
//
// Environment:
//   KAFKA_HA_NAMESPACE, KAFKA_HA_SECRET   where the Secret goes
//   KAFKA_HA_COMMON_NAME                  the server certificate's CN (the release's principal)
//   KAFKA_HA_DNS_NAMES, KAFKA_HA_IP_ADDRESSES  its subject alternative names, comma separated
//   KAFKA_HA_VALIDITY_DAYS                lifetime of the CA and the certificate
//   KAFKA_HA_SECRET_LABELS                the Secret's labels as a JSON object
//   KAFKA_HA_WORK_DIR                     an empty, private directory for keytool's files
//   KUBERNETES_SERVICE_HOST / _PORT, KAFKA_HA_SA_DIR (token, ca.crt)
// Exit codes: 0 the Secret exists (created now or kept), 1 any error (message on stderr).
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

public final class GeneratedCertificate {
    public static void main(String[] args) {
        try {
            System.exit(run());
        } catch (Exception e) {
            System.err.println("generated-certificate: " + e);
            System.exit(1);
        }
    }

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isEmpty()) throw new IllegalArgumentException(name + " is not set");
        return v;
    }

    static int run() throws Exception {
        String ns = env("KAFKA_HA_NAMESPACE");
        String name = env("KAFKA_HA_SECRET");
        String secret = ns + "/" + name;
        String path = "/api/v1/namespaces/" + ns + "/secrets";
        HttpClient api = apiClient();

        HttpResponse<String> got = call(api, HttpRequest.newBuilder(apiUri(path + "/" + name)).GET());
        Integer exit = settled(got, "GET", secret, 404, 200, "exists");
        if (exit != null) return exit;

        Path work = Path.of(env("KAFKA_HA_WORK_DIR"));
        String cn = env("KAFKA_HA_COMMON_NAME");
        String days = env("KAFKA_HA_VALIDITY_DAYS");
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path ca = work.resolve("ca.p12");
        Path server = work.resolve("server.p12");
        Path csr = work.resolve("server.csr");
        Path crt = work.resolve("server.crt");
        keytool(password, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn + " CA",
            "-validity", days, "-ext", "BC:c=ca:true,pathlen:0", "-ext", "KU:c=keyCertSign,cRLSign", "-keystore", ca.toString());
        keytool(password, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
            "-validity", days, "-keystore", server.toString());
        keytool(password, "-certreq", "-alias", "server", "-keystore", server.toString(), "-file", csr.toString());
        keytool(password, "-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(), "-outfile", crt.toString(),
            "-rfc", "-validity", days, "-ext", "SAN=" + subjectAltNames(), "-ext", "KU:c=digitalSignature,keyEncipherment",
            "-ext", "EKU=serverAuth,clientAuth");

        X509Certificate caCert = (X509Certificate) load(ca, password).getCertificate("ca");
        Key key = load(server, password).getKey("server", password.toCharArray());
        String caPem = pem("CERTIFICATE", caCert.getEncoded());
        String keyPem = pem("PRIVATE KEY", key.getEncoded()); // PKCS#8, the only encoding Kafka reads
        // Re-encoded: keytool writes CRLF line ends, which Kafka's PEM reader does not match.
        String crtPem;
        try (InputStream in = Files.newInputStream(crt)) {
            crtPem = pem("CERTIFICATE", CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded());
        }
        for (Path p : List.of(ca, server, csr, crt)) Files.deleteIfExists(p);

        String body = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"type\":\"kubernetes.io/tls\","
            + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\",\"labels\":" + env("KAFKA_HA_SECRET_LABELS")
            + ",\"annotations\":{\"kafka-ha/generated-by\":\"tls.source=generated\"}},"
            + "\"data\":{\"tls.crt\":\"" + b64(crtPem) + "\",\"tls.key\":\"" + b64(keyPem) + "\",\"ca.crt\":\"" + b64(caPem) + "\"}}";
        HttpResponse<String> created = call(api, HttpRequest.newBuilder(apiUri(path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        exit = settled(created, "POST", secret, 201, 409, "was created meanwhile");
        if (exit != null) return exit;
        System.out.println("generated-certificate: created Secret " + secret + ": CA \"" + caCert.getSubjectX500Principal().getName()
            + "\", server certificate CN=" + cn + " for " + subjectAltNames() + ", valid until " + caCert.getNotAfter().toInstant());
        return 0;
    }

    /**
     * What the API server's answer about the Secret {@code secret} (namespace/name) means for the run:
     * {@code goOn}, null (carry on); {@code kept}, the Secret exists and is kept (said on stdout, exit
     * code 0, "Secret ns/name " + {@code keptReason} + ", kept as it is"); any other status, an error
     * (said on stderr with the answer's body, exit code 1).
     */
    private static Integer settled(HttpResponse<String> answer, String method, String secret, int goOn, int kept, String keptReason) {
        if (answer.statusCode() == kept) {
            System.out.println("generated-certificate: Secret " + secret + " " + keptReason + ", kept as it is");
            return 0;
        }
        if (answer.statusCode() != goOn) {
            System.err.println("generated-certificate: " + method + " Secret " + secret + " answered HTTP " + answer.statusCode() + ": " + answer.body());
            return 1;
        }
        return null;
    }

    /** keytool's SAN extension value: dns:a,dns:b,ip:c. */
    static String subjectAltNames() {
        List<String> names = new ArrayList<>();
        for (String d : env("KAFKA_HA_DNS_NAMES").split(",")) if (!d.isBlank()) names.add("dns:" + d.strip());
        String ips = System.getenv().getOrDefault("KAFKA_HA_IP_ADDRESSES", "");
        for (String ip : ips.split(",")) if (!ip.isBlank()) names.add("ip:" + ip.strip());
        return String.join(",", names);
    }

    /** Runs keytool on a PKCS#12 store whose password reaches it through the environment, never argv. */
    static void keytool(String password, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass:env", "KAFKA_HA_STORE_PASSWORD", "-noprompt"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("KAFKA_HA_STORE_PASSWORD", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("keytool " + args[0] + " failed: " + out.strip());
    }

    static KeyStore load(Path file, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static URI apiUri(String path) {
        String host = env("KUBERNETES_SERVICE_HOST");
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create("https://" + host + ":" + System.getenv().getOrDefault("KUBERNETES_SERVICE_PORT", "443") + path);
    }

    static Path serviceAccountDir() {
        return Path.of(System.getenv().getOrDefault("KAFKA_HA_SA_DIR", "/var/run/secrets/kubernetes.io/serviceaccount"));
    }

    static HttpResponse<String> call(HttpClient api, HttpRequest.Builder req) throws Exception {
        String token = Files.readString(serviceAccountDir().resolve("token")).trim();
        return api.send(req.timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
            .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpClient apiClient() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        int i = 0;
        byte[] bundle = Files.readAllBytes(serviceAccountDir().resolve("ca.crt"));
        for (Certificate c : cf.generateCertificates(new ByteArrayInputStream(bundle))) trust.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }
}
