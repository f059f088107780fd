// Serves the first line of a state file to every TCP connection: how a controller whose disk is
// empty tells its peers "EMPTY <cluster id>" or "FIRST-START <cluster id>" while the cluster's first
// start is decided (files/scripts/start.sh, README "Design"). The Kafka images have a JRE but maybe
// no nc, so the chart ships this class, compiled, in its scripts ConfigMap (like rack/NodeZone).
//
//   java -cp <dir> BootstrapState <port> <state-file>
//
// Stops (exit 0) once the state file is gone: deleting the file is how start.sh ends the serving.
// Exit 1 when the port cannot be bound.
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

public final class BootstrapState {
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("bootstrap-state: usage: BootstrapState <port> <state-file>");
            System.exit(1);
        }
        Path state = Path.of(args[1]);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(Integer.parseInt(args[0])));
            server.setSoTimeout(1000); // look at the state file at least once a second
            for (;;) {
                String line = firstLine(state);
                if (line == null) return;
                try (Socket peer = server.accept()) {
                    line = firstLine(state);
                    if (line == null) return;
                    OutputStream out = peer.getOutputStream();
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (SocketTimeoutException idle) {
                    // nobody asked this second
                } catch (IOException peerGone) {
                    // the peer hung up early; keep serving the others
                }
            }
        } catch (IOException | NumberFormatException e) {
            System.err.println("bootstrap-state: cannot serve on port " + args[0] + ": " + e);
            System.exit(1);
        }
    }

    /** First line of the state file, or null when it is gone. */
    private static String firstLine(Path state) throws IOException {
        try {
            List<String> lines = Files.readAllLines(state, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "" : lines.get(0);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }
}
