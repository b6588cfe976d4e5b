package dev.accesstoken.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void freePortsAreBelowTheEphemeralRangeDistinctAndBindable() throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = ServiceProcess.freePort();
            assertTrue(port >= 10_000 && port < 15_000, port + " is outside 10000-14999");
            ports.add(port);
            try (ServerSocket socket = new ServerSocket(port)) {
                assertEquals(port, socket.getLocalPort());
            }
        }
        assertEquals(50, ports.size(), "a port was handed out twice");
    }
}
