package dev.accesstoken.order.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.accesstoken.chassis.client.DownstreamException;
import dev.accesstoken.order.model.Reservation;
import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

/**
 * customer-service's settlement API, called by the reconciler with order-service's own service token: no user
 * is behind that work, so no user token is forwarded. quarkus-oidc-client gets the token from the gateway
 * (client-credentials grant, {@code quarkus.oidc-client.*}), caches it and renews it before it expires.
 */
@Path("/reservations/{orderId}")
@RegisterRestClient(configKey = "customer-service")
@OidcClientFilter
@Produces(MediaType.APPLICATION_JSON)
public interface SettlementClient {

    @GET
    Reservation get(@PathParam("orderId") String orderId);

    /** The decision for this orderId, or VOIDED if there was none: then it can never reserve. */
    @POST
    @Path("/settlement")
    Reservation settle(@PathParam("orderId") String orderId);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return DownstreamException.of("customer-service", response);
    }
}
