package dev.accesstoken.chassis.client;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.ProcessingException;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.VertxException;

/**
 * Every way a call to a downstream service can end without an HTTP answer: refused, reset, closed before or
 * during the response, an empty or garbled response, a timeout. The REST client reports these as a
 * {@link ProcessingException}, or as the Vert.x or I/O exception itself, depending on when the connection
 * ended; all of them are the downstream's failure, so they become 503 or 504, never 500.
 */
public final class DownstreamFailures {

    private DownstreamFailures() {
    }

    public static boolean isTransportFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProcessingException || t instanceof IOException || t instanceof VertxException
                    || t instanceof TimeoutException || t instanceof DecoderException) {
                return true;
            }
        }
        return false;
    }

    public static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    /** The decision may have been taken and its answer lost: a transport failure or a 5xx. */
    public static boolean answerMayHaveBeenLost(Throwable e) {
        return isTransportFailure(e) || e instanceof DownstreamException downstream && downstream.status() >= 500;
    }
}
