package dev.accesstoken.gateway.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import dev.accesstoken.chassis.security.BearerTokenPropagation;

/** The token for customer-service: the caller's own, or in exchange mode one minted for customer-service alone. */
@ApplicationScoped
@Typed(CustomerServiceToken.class)
public class CustomerServiceToken extends BearerTokenPropagation {

    @Override
    protected String exchangeAudience() {
        return "customer-service";
    }
}
