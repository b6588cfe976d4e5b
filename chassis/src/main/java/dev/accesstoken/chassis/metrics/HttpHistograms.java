package dev.accesstoken.chassis.metrics;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * HTTP server and client timers as Prometheus histograms ({@code http_server_requests_seconds_bucket},
 * {@code http_client_requests_seconds_bucket}), so that latency percentiles can be aggregated over replicas.
 * Buckets from 1 ms to 10 s: the services answer in milliseconds and give up within 5 s, and a bounded range
 * keeps the number of series per route small.
 */
@Singleton
public class HttpHistograms {

    @Produces
    @Singleton
    public MeterFilter httpHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() == Meter.Type.TIMER
                        && (id.getName().equals("http.server.requests") || id.getName().equals("http.client.requests"))) {
                    return DistributionStatisticConfig.builder()
                            .percentilesHistogram(true)
                            .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                            .maximumExpectedValue((double) Duration.ofSeconds(10).toNanos())
                            .build()
                            .merge(config);
                }
                return config;
            }
        };
    }
}
