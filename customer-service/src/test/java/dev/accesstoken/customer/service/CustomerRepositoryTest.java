package dev.accesstoken.customer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.accesstoken.customer.CustomerServiceTestResources;
import dev.accesstoken.customer.model.Reservation;
import dev.accesstoken.testsupport.Postgres;
import dev.accesstoken.testsupport.PostgresResource.InjectDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** The repository against a real PostgreSQL, migrated by Flyway from an empty database at start. */
@QuarkusTest
@CustomerServiceTestResources
class CustomerRepositoryTest {

    @Inject
    CustomerRepository repository;

    @InjectDatabase
    Postgres.Database database;

    /** The service's own connection pool. */
    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    /** A customer of its own for each test, straight into the table, so tests never share credit. */
    String newCustomer(String limit) throws Exception {
        String username = "c" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection db = database.connect(); var insert = db.prepareStatement(
                "INSERT INTO customer (id, username, name, credit_limit, available_credit) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, CustomerRepository.idFor(username));
            insert.setString(2, username);
            insert.setString(3, username);
            insert.setBigDecimal(4, new BigDecimal(limit));
            insert.setBigDecimal(5, new BigDecimal(limit));
            insert.executeUpdate();
        }
        return CustomerRepository.idFor(username);
    }

    BigDecimal available(String id) {
        return repository.findById(id).orElseThrow().availableCredit();
    }

    /** creditLimit - availableCredit must equal the approved reservations, whatever happened. */
    void assertInvariant(String id) throws Exception {
        try (Connection db = database.connect(); var query = db.prepareStatement("""
                SELECT c.credit_limit - c.available_credit,
                       (SELECT coalesce(sum(amount), 0) FROM reservation r WHERE r.customer_id = c.id AND r.status = 'APPROVED')
                FROM customer c WHERE c.id = ?""")) {
            query.setString(1, id);
            ResultSet row = query.executeQuery();
            assertTrue(row.next());
            assertEquals(0, row.getBigDecimal(1).compareTo(row.getBigDecimal(2)),
                    "held " + row.getBigDecimal(1) + " but approved " + row.getBigDecimal(2));
        }
    }

    @Test
    void flywayMigratedTheEmptyDatabase() throws Exception {
        try (Connection db = database.connect(); ResultSet history = db.createStatement().executeQuery(
                "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            assertTrue(history.next());
            assertEquals("1", history.getString("version"));
            assertTrue(history.getBoolean("success"));
        }
        // The configured customers were seeded into the new schema.
        assertTrue(repository.findByUsername("alice").isPresent());
        assertTrue(repository.findByUsername("bob").isPresent());
    }

    @Test
    void fiftyConcurrentReservationsNeverOverdraw() throws Exception {
        String id = newCustomer("100.00");
        int attempts = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Reservation>> tasks = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            String orderId = UUID.randomUUID().toString();
            tasks.add(() -> {
                start.await();
                return repository.reserve(id, orderId, new BigDecimal("7.00"));
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
            assertEquals(14, approved, "100 / 7 = 14 reservations fit");
            assertEquals(0, new BigDecimal("2.00").compareTo(available(id)));
            assertInvariant(id);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameOrderIdSentConcurrentlyReservesOnce() throws Exception {
        String id = newCustomer("100.00");
        String orderId = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Reservation>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return repository.reserve(id, orderId, new BigDecimal("30.00"));
                }));
            }
            start.countDown();
            for (Future<Reservation> future : futures) {
                assertTrue(future.get().approved());
            }
            assertEquals(0, new BigDecimal("70.00").compareTo(available(id)));
            assertInvariant(id);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRepeatedOrderGetsTheFirstDecisionAgain() throws Exception {
        String id = newCustomer("10.00");
        String big = UUID.randomUUID().toString();
        String small = UUID.randomUUID().toString();
        assertFalse(repository.reserve(id, big, new BigDecimal("11.00")).approved());
        assertTrue(repository.reserve(id, small, new BigDecimal("10.00")).approved());
        assertFalse(repository.reserve(id, big, new BigDecimal("11.00")).approved());
        assertThrows(ReservationConflictException.class, () -> repository.reserve(id, small, BigDecimal.ONE));
        String other = newCustomer("10.00");
        assertThrows(ReservationConflictException.class, () -> repository.reserve(other, small, new BigDecimal("10.00")));
        assertEquals(0, BigDecimal.ZERO.compareTo(available(id)));
        assertInvariant(id);
    }

    @Test
    void settlingAnUnknownOrderVoidsItForGood() throws Exception {
        String id = newCustomer("50.00");
        String orderId = UUID.randomUUID().toString();
        Reservation settled = repository.settle(orderId);
        assertEquals(Reservation.Status.VOIDED, settled.status());
        assertFalse(settled.approved());
        assertNull(settled.availableCredit());

        // The reservation that was lost in flight arrives late: it must not take credit any more.
        Reservation late = repository.reserve(id, orderId, new BigDecimal("5.00"));
        assertEquals(Reservation.Status.VOIDED, late.status());
        assertFalse(late.approved());
        assertEquals(0, new BigDecimal("50.00").compareTo(available(id)));
        assertEquals(Reservation.Status.VOIDED, repository.settle(orderId).status());
        assertInvariant(id);
    }

    @Test
    void settlingAReservedOrderAdoptsItsDecision() throws Exception {
        String id = newCustomer("50.00");
        String approved = UUID.randomUUID().toString();
        String rejected = UUID.randomUUID().toString();
        repository.reserve(id, approved, new BigDecimal("40.00"));
        repository.reserve(id, rejected, new BigDecimal("40.00"));
        assertEquals(Reservation.Status.APPROVED, repository.settle(approved).status());
        assertEquals(Reservation.Status.REJECTED, repository.settle(rejected).status());
        assertEquals(0, new BigDecimal("10.00").compareTo(available(id)));
        assertInvariant(id);
    }

    @Test
    void idsDependOnlyOnTheUsernameSoEveryReplicaAgrees() {
        assertEquals(UUID.nameUUIDFromBytes("customer:erin".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
                CustomerRepository.idFor("erin"));
        assertFalse(CustomerRepository.idFor("erin").equals(CustomerRepository.idFor("frank")));
    }

    /**
     * The service connects as the runtime role, which may use the tables Flyway (as the owner) created but
     * not change the schema: a SQL injection or a compromised pod cannot drop or alter a table.
     */
    @Test
    void theServicesPoolIsTheRuntimeRoleWithoutDdlRights() throws Exception {
        try (Connection c = dataSource.getConnection(); var sql = c.createStatement()) {
            try (ResultSet who = sql.executeQuery("SELECT current_user, (SELECT count(*) FROM customer) >= 0")) {
                assertTrue(who.next());
                assertEquals(database.appUsername(), who.getString(1));
                assertTrue(who.getBoolean(2));
            }
            for (String ddl : List.of("DROP TABLE reservation", "ALTER TABLE customer ADD COLUMN x TEXT", "TRUNCATE customer",
                    "CREATE TABLE x (y INT)")) {
                var refused = assertThrows(java.sql.SQLException.class, () -> sql.execute(ddl), ddl);
                assertEquals("42501", refused.getSQLState(), ddl + ": " + refused.getMessage());
            }
        }
        assertEquals(database.username(), database.queryString("SELECT tableowner FROM pg_tables WHERE tablename = 'customer'"));
    }
}
