package dev.accesstoken.customer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.accesstoken.customer.config.CustomerConfig;
import dev.accesstoken.customer.model.Reservation;

class CustomerRepositoryTest {

    static CustomerRepository withCustomer(String username, String limit) {
        CustomerConfig.Seed seed = new CustomerConfig.Seed() {
            public String name() {
                return username;
            }

            public BigDecimal creditLimit() {
                return new BigDecimal(limit);
            }
        };
        return new CustomerRepository(() -> Map.of(username, seed));
    }

    @Test
    void concurrentReservationsNeverOverdraw() throws Exception {
        CustomerRepository repository = withCustomer("carol", "1000.00");
        String id = repository.findByUsername("carol").orElseThrow().id();
        int attempts = 200;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Reservation>> tasks = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            String orderId = "order-" + i;
            tasks.add(() -> {
                start.await();
                return repository.reserve(id, orderId, new BigDecimal("15.00"));
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Reservation>> futures = new ArrayList<>();
            for (Callable<Reservation> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            long approved = 0;
            for (Future<Reservation> future : futures) {
                if (future.get().approved()) {
                    approved++;
                }
            }
            assertEquals(66, approved, "1000 / 15 = 66 reservations fit");
            assertEquals(new BigDecimal("10.00"), repository.findById(id).orElseThrow().availableCredit());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRepeatedOrderGetsTheFirstDecisionAgain() {
        CustomerRepository repository = withCustomer("dave", "10.00");
        String id = repository.findByUsername("dave").orElseThrow().id();
        assertFalse(repository.reserve(id, "big", new BigDecimal("11.00")).approved());
        assertTrue(repository.reserve(id, "small", new BigDecimal("10.00")).approved());
        assertFalse(repository.reserve(id, "big", new BigDecimal("11.00")).approved());
        assertThrows(ReservationConflictException.class, () -> repository.reserve(id, "small", BigDecimal.ONE));
        assertEquals(0, BigDecimal.ZERO.compareTo(repository.findById(id).orElseThrow().availableCredit()));
    }

    @Test
    void idsAreStableAcrossInstances() {
        assertEquals(withCustomer("erin", "1").findByUsername("erin").orElseThrow().id(),
                withCustomer("erin", "2").findByUsername("erin").orElseThrow().id());
    }
}
