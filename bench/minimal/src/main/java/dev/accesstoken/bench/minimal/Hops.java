package dev.accesstoken.bench.minimal;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;

/**
 * BENCHMARK ONLY. The three hops of the trace, each as the real service serves it (a Uni endpoint and a Uni client
 * on the event loop; the last hop a @NonBlocking map), with the caller's bearer token forwarded as is. Every
 * process of the minimal stack holds all three; its REST client URLs make it the gateway, order-service or
 * customer-service.
 */
public class Hops {

    @Path("/orders/trace")
    @RegisterRestClient(configKey = "order-service")
    public interface OrderClient {
        @GET
        Uni<Map<String, Identity>> trace(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
    }

    @Path("/customers/trace")
    @RegisterRestClient(configKey = "customer-service")
    public interface CustomerClient {
        @GET
        Uni<Map<String, Identity>> trace(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
    }

    @Path("/api/trace")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Gateway {
        @Inject
        ObjectMapper json;

        @RestClient
        OrderClient orders;

        @GET
        public Uni<Map<String, Identity>> trace(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
            Identity here = Identity.of(authorization, json);
            return orders.trace(authorization).map(downstream -> {
                Map<String, Identity> hops = new LinkedHashMap<>();
                hops.put("api-gateway", here);
                hops.putAll(downstream);
                return hops;
            });
        }
    }

    @Path("/orders/trace")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Orders {
        @Inject
        ObjectMapper json;

        @RestClient
        CustomerClient customers;

        @GET
        public Uni<Map<String, Identity>> trace(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
            Identity here = Identity.of(authorization, json);
            return customers.trace(authorization).map(downstream -> {
                Map<String, Identity> hops = new LinkedHashMap<>();
                hops.put("order-service", here);
                hops.putAll(downstream);
                return hops;
            });
        }
    }

    @Path("/customers/trace")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Customers {
        @Inject
        ObjectMapper json;

        @GET
        @NonBlocking
        public Map<String, Identity> trace(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
            return Map.of("customer-service", Identity.of(authorization, json));
        }
    }
}
