package dev.accesstoken.chassis.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.vertx.core.http.HttpClosedException;

class DownstreamFailuresTest {

    @Test
    void everyWayAConnectionEndsIsATransportFailure() {
        assertTrue(DownstreamFailures.isTransportFailure(new ProcessingException("refused", new ConnectException())));
        // The bug of issue 10: a closed connection that arrives unwrapped from Vert.x.
        assertTrue(DownstreamFailures.isTransportFailure(new HttpClosedException("Connection was closed")));
        assertTrue(DownstreamFailures.isTransportFailure(new RuntimeException(new SocketException("Connection reset"))));
        assertTrue(DownstreamFailures.isTransportFailure(
                new io.netty.handler.codec.DecoderException("garbage instead of HTTP")));
        assertTrue(DownstreamFailures.isTransportFailure(new TimeoutException()));
    }

    @Test
    void aBugOfOurOwnIsNotADownstreamFailure() {
        assertFalse(DownstreamFailures.isTransportFailure(new IllegalStateException("bug")));
        assertFalse(DownstreamFailures.isTransportFailure(new NullPointerException()));
    }

    @Test
    void onlyTimeoutsAreTimeouts() {
        assertTrue(DownstreamFailures.isTimeout(new ProcessingException(new TimeoutException())));
        assertTrue(DownstreamFailures.isTimeout(new RuntimeException(new java.net.SocketTimeoutException())));
        assertFalse(DownstreamFailures.isTimeout(new HttpClosedException("closed")));
    }

    @Test
    void aLostAnswerIsATransportFailureOrA5xxButNeverA4xx() {
        var problem = JsonNodeFactory.instance.objectNode();
        assertTrue(DownstreamFailures.answerMayHaveBeenLost(new DownstreamException("x", 502, problem, null)));
        assertTrue(DownstreamFailures.answerMayHaveBeenLost(new HttpClosedException("closed")));
        assertFalse(DownstreamFailures.answerMayHaveBeenLost(new DownstreamException("x", 409, problem, null)));
        assertFalse(DownstreamFailures.answerMayHaveBeenLost(new IllegalArgumentException()));
    }
}
