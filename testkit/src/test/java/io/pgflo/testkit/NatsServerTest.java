package io.pgflo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatsServerTest {

    @Test
    void aKilledServerComesBackOnItsPortWithItsStore() throws IOException {
        try (NatsServer nats = NatsServer.start()) {
            assertThat(info(nats.port())).contains("\"jetstream\":true");
            nats.kill();
            assertThat(nats.isRunning()).isFalse();
            assertThatThrownBy(() -> info(nats.port())).isInstanceOf(IOException.class);
            nats.restart();
            assertThat(info(nats.port())).contains("\"jetstream\":true");
            assertThat(nats.storeDirectory()).isDirectory();
        }
    }

    @Test
    void aClusterRoutesItsNodesTogether() throws IOException {
        List<NatsServer> cluster = NatsServer.cluster(3);
        try {
            for (NatsServer node : cluster) {
                assertThat(info(node.port())).contains("\"cluster\":\"pgflo-test\"");
            }
        } finally {
            cluster.forEach(NatsServer::close);
        }
    }

    /** The INFO line a NATS server sends every client first. */
    private static String info(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
            assertThat(line.toString()).startsWith("INFO ");
            return new String(line.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
    }
}
