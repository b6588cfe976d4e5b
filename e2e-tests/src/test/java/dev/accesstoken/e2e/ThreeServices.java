package dev.accesstoken.e2e;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.accesstoken.testsupport.Postgres;
import dev.accesstoken.testsupport.ServiceProcess;

/**
 * The three packaged services as processes, each on a fresh database of its own, wired as in production:
 * gateway → order-service → customer-service, both services verifying with the gateway's JWKS.
 */
final class ThreeServices implements AutoCloseable {

    final int gatewayPort = ServiceProcess.freePort();
    final ServiceProcess customers;
    final ServiceProcess orders;
    ServiceProcess gateway;
    private final Path logs;
    private final Map<String, String> gatewayConfig;

    /** {@code everyService} goes to all three, {@code gatewayOnly} to the gateway. */
    private ThreeServices(Path logs, Map<String, String> everyService, Map<String, String> gatewayOnly) {
        this.logs = logs;
        String jwks = "http://localhost:" + gatewayPort + "/.well-known/jwks.json";
        Map<String, String> customerConfig = new HashMap<>(Postgres.newDatabase("customers").quarkusConfig());
        customerConfig.putAll(everyService);
        customerConfig.put("mp.jwt.verify.publickey.location", jwks);
        customers = ServiceProcess.start("customer-service", AccessTokenFlowIT.artifact("customer-service"),
                ServiceProcess.freePort(), customerConfig, logs);
        Map<String, String> orderConfig = new HashMap<>(Postgres.newDatabase("orders").quarkusConfig());
        orderConfig.putAll(everyService);
        orderConfig.put("mp.jwt.verify.publickey.location", jwks);
        orderConfig.put("quarkus.rest-client.customer-service.url", customers.url());
        orderConfig.put("quarkus.oidc-client.auth-server-url", "http://localhost:" + gatewayPort);
        orders = startOrClose("order-service", orderConfig);
        gatewayConfig = new HashMap<>(Postgres.newDatabase("gateway").quarkusConfig());
        gatewayConfig.putAll(everyService);
        gatewayConfig.putAll(gatewayOnly);
        gatewayConfig.put("quarkus.rest-client.order-service.url", orders.url());
        gatewayConfig.put("quarkus.rest-client.customer-service.url", customers.url());
        gateway = startOrClose("api-gateway", gatewayConfig);
    }

    static ThreeServices start(Path logs, Map<String, String> everyService, Map<String, String> gatewayOnly) {
        return new ThreeServices(logs, everyService, gatewayOnly);
    }

    /** Stops the gateway and starts it again on the same port and database, with these settings changed. */
    void restartGateway(String name, Map<String, String> changes) {
        gateway.close();
        Map<String, String> config = new HashMap<>(gatewayConfig);
        config.putAll(changes);
        gateway = ServiceProcess.start(name, AccessTokenFlowIT.artifact("api-gateway"), gatewayPort, config, logs);
    }

    private ServiceProcess startOrClose(String service, Map<String, String> config) {
        try {
            return ServiceProcess.start(service, AccessTokenFlowIT.artifact(service),
                    service.equals("api-gateway") ? gatewayPort : ServiceProcess.freePort(), config, logs);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (ServiceProcess service : new ServiceProcess[] { gateway, orders, customers }) {
            if (service != null) {
                service.close();
            }
        }
    }
}
