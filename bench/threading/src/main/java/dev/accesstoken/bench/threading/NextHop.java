package dev.accesstoken.bench.threading;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.security.BearerTokenPropagation;
import io.smallrye.mutiny.Uni;

/** BENCHMARK ONLY. The next hop's benchmark trace, with the caller's token, blocking or as a Uni. */
@Path("/bench/threading")
@RegisterRestClient(configKey = "bench-next-hop")
@RegisterClientHeaders(BearerTokenPropagation.class)
public interface NextHop {

    @GET
    @Path("/{mode}/trace")
    Map<String, Identity> trace(@PathParam("mode") String mode);

    @GET
    @Path("/{mode}/trace")
    Uni<Map<String, Identity>> traceAsync(@PathParam("mode") String mode);
}
