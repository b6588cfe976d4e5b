package dev.accesstoken.chassis.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/**
 * The token for customer-service, the second hop of both the gateway and order-service: the caller's own, or in
 * exchange mode one the gateway minted for customer-service alone.
 */
@ApplicationScoped
@Typed(CustomerServiceToken.class)
public class CustomerServiceToken extends BearerTokenPropagation {

    @Override
    protected String exchangeAudience() {
        return "customer-service";
    }
}
