package dev.accesstoken.order.client;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.accesstoken.chassis.client.DownstreamException;
import dev.accesstoken.chassis.client.OnBrokenConnection;
import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.security.CustomerServiceToken;
import dev.accesstoken.order.model.Customer;
import dev.accesstoken.order.model.Reservation;
import dev.accesstoken.order.model.ReservationRequest;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;

/** customer-service, called with the caller's own token, or an exchanged one (see {@link CustomerServiceToken}). */
@Path("/customers")
@RegisterRestClient(configKey = "customer-service")
@RegisterClientHeaders(CustomerServiceToken.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface CustomerClient {

    @GET
    @Path("/me")
    @Retry(maxRetries = 1, delay = 0)
    @RetryWhen(exception = OnBrokenConnection.class)
    Customer me();

    @GET
    @Path("/{id}")
    @Retry(maxRetries = 1, delay = 0)
    @RetryWhen(exception = OnBrokenConnection.class)
    Customer get(@PathParam("id") String id);

    @POST
    @Path("/{id}/reservations")
    Reservation reserve(@PathParam("id") String id, ReservationRequest request);

    @GET
    @Path("/trace")
    @Retry(maxRetries = 1, delay = 0)
    @RetryWhen(exception = OnBrokenConnection.class)
    Uni<Map<String, Identity>> trace(); // non-blocking: the trace endpoint runs on the event loop

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return DownstreamException.of("customer-service", response);
    }
}
