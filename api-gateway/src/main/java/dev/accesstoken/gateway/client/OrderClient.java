package dev.accesstoken.gateway.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.accesstoken.chassis.client.DownstreamException;
import dev.accesstoken.chassis.client.OnBrokenConnection;
import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.rest.IdempotencyKeys;
import dev.accesstoken.chassis.security.BearerTokenPropagation;
import dev.accesstoken.gateway.model.OrderRequest;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;

/**
 * order-service, called with the caller's own token. Orders are relayed as order-service wrote them,
 * so the gateway never drifts from the service that owns the data. Non-blocking ({@code Uni}): the gateway's
 * proxy endpoints stay on the event loop (BENCHMARKS.md, threading model).
 */
@Path("/orders")
@RegisterRestClient(configKey = "order-service")
@RegisterClientHeaders(BearerTokenPropagation.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface OrderClient {

    /** 201 with a new order, or 200 with the order an earlier request with the same Idempotency-Key made. */
    @POST
    Uni<RestResponse<JsonNode>> place(@HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey, OrderRequest request);

    /** A page; {@code Link: rel="next"} while there are more. Null parameters are left out. */
    @GET
    @Retry(maxRetries = 1, delay = 0)
    @RetryWhen(exception = OnBrokenConnection.class)
    Uni<RestResponse<JsonNode>> list(@QueryParam("limit") Integer limit, @QueryParam("after") String after);

    @GET
    @Path("/{id}")
    @Retry(maxRetries = 1, delay = 0)
    @RetryWhen(exception = OnBrokenConnection.class)
    Uni<JsonNode> get(@PathParam("id") String id);

    @GET
    @Path("/trace")
    @Retry(maxRetries = 1, delay = 0)
    @RetryWhen(exception = OnBrokenConnection.class)
    Uni<Map<String, Identity>> trace();

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return DownstreamException.of("order-service", response);
    }
}
