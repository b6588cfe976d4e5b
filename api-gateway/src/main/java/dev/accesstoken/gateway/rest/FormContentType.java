package dev.accesstoken.gateway.rest;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.accesstoken.chassis.rest.ProblemMappers;

/**
 * The gateway's two form endpoints (OAuth's token endpoint, and logout) take a form, not JSON: their 415 says so.
 * Ahead of the chassis's 415 mapper, which names JSON for every endpoint.
 */
public class FormContentType {

    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response unsupportedMediaType(NotSupportedException e, UriInfo uri) {
        String path = uri.getPath();
        boolean form = path.equals("/auth/token") || path.equals("/auth/logout");
        return ProblemMappers.unsupportedMediaType(form ? MediaType.APPLICATION_FORM_URLENCODED : MediaType.APPLICATION_JSON);
    }
}
