package dev.accesstoken.gateway.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.accesstoken.chassis.client.DownstreamException;
import dev.accesstoken.chassis.client.OnBrokenConnection;
import dev.accesstoken.chassis.security.CustomerServiceToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;

/** customer-service, called with the caller's own token (or, in exchange mode, one minted for it); non-blocking. */
@Path("/customers")
@RegisterRestClient(configKey = "customer-service")
@RegisterClientHeaders(CustomerServiceToken.class)
@Produces(MediaType.APPLICATION_JSON)
public interface CustomerClient {

    @GET
    @Path("/me")
    @Retry(maxRetries = 1, delay = 0)
    @RetryWhen(exception = OnBrokenConnection.class)
    Uni<JsonNode> me();

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return DownstreamException.of("customer-service", response);
    }
}
