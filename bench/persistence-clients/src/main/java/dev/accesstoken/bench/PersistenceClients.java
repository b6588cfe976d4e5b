package dev.accesstoken.bench;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalPropertiesReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

/**
 * customer-service's reservation transaction (claim the orderId, take the credit if it is there, mark it
 * approved, read the balance) through a blocking Agroal/JDBC pool, as the services run it, and through the
 * Vert.x reactive PostgreSQL client, with the same number of connections and transactions in flight.
 * Prints one JSON line per measured run: {"client", "tps", "p50", "p99"}.
 * Arguments: jdbcUrl user password migrationSql seconds rounds concurrency
 */
public final class PersistenceClients {

    static final int CUSTOMERS = 100;
    static final String CLAIM = "INSERT INTO reservation (order_id, customer_id, amount, status) "
            + "VALUES ($1, $2, $3, 'REJECTED') ON CONFLICT DO NOTHING";
    static final String DEBIT = "UPDATE customer SET available_credit = available_credit - $1 "
            + "WHERE id = $2 AND available_credit >= $1";
    static final String APPROVE = "UPDATE reservation SET status = 'APPROVED' WHERE order_id = $1";
    static final String BALANCE = "SELECT available_credit FROM customer WHERE id = $1";

    public static void main(String[] args) throws Exception {
        String url = args[0], user = args[1], password = args[2];
        int seconds = Integer.parseInt(args[4]), rounds = Integer.parseInt(args[5]), concurrency = Integer.parseInt(args[6]);
        AgroalDataSource jdbc = AgroalDataSource.from(new AgroalPropertiesReader()
                .readProperties(java.util.Map.of(
                        AgroalPropertiesReader.JDBC_URL, url, AgroalPropertiesReader.PRINCIPAL, user,
                        AgroalPropertiesReader.CREDENTIAL, password,
                        AgroalPropertiesReader.MAX_SIZE, Integer.toString(concurrency),
                        AgroalPropertiesReader.MIN_SIZE, Integer.toString(concurrency),
                        AgroalPropertiesReader.INITIAL_SIZE, Integer.toString(concurrency))).get());
        try (Connection c = jdbc.getConnection(); Statement s = c.createStatement()) {
            s.execute(Files.readString(Path.of(args[3])));
            for (int i = 0; i < CUSTOMERS; i++) {
                s.execute("INSERT INTO customer VALUES ('c" + i + "', 'u" + i + "', 'n', 100000000, 100000000)");
            }
        }
        Vertx vertx = Vertx.vertx();
        var uri = java.net.URI.create(url.substring("jdbc:".length()));
        PgPool reactive = PgPool.pool(vertx, new PgConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
                .setDatabase(uri.getPath().substring(1)).setUser(user).setPassword(password)
                .setCachePreparedStatements(true), new PoolOptions().setMaxSize(concurrency));
        try {
            blocking(jdbc, concurrency, Math.max(1, seconds / 2)); // warm-up
            reactive(reactive, concurrency, Math.max(1, seconds / 2));
            for (int r = 0; r < rounds; r++) { // alternating, the first one changing each round
                if (r % 2 == 0) {
                    print("jdbc-agroal", blocking(jdbc, concurrency, seconds), seconds);
                    print("vertx-reactive", reactive(reactive, concurrency, seconds), seconds);
                } else {
                    print("vertx-reactive", reactive(reactive, concurrency, seconds), seconds);
                    print("jdbc-agroal", blocking(jdbc, concurrency, seconds), seconds);
                }
            }
        } finally {
            reactive.close();
            vertx.close();
            jdbc.close();
        }
    }

    static void print(String client, long[] latenciesNanos, int seconds) {
        Arrays.sort(latenciesNanos);
        System.out.printf("{\"client\":\"%s\",\"tps\":%.1f,\"p50\":%.3f,\"p99\":%.3f}%n", client,
                latenciesNanos.length / (double) seconds, percentile(latenciesNanos, 0.50), percentile(latenciesNanos, 0.99));
    }

    static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, p * sorted.length)] / 1e6;
    }

    static long[] blocking(AgroalDataSource pool, int concurrency, int seconds) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(concurrency);
        for (int t = 0; t < concurrency; t++) {
            threads.submit(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    reserveJdbc(pool);
                    latencies.add(System.nanoTime() - start);
                }
                return null;
            });
        }
        threads.shutdown();
        threads.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    static void reserveJdbc(AgroalDataSource pool) throws Exception {
        String orderId = UUID.randomUUID().toString();
        String customer = "c" + ThreadLocalRandom.current().nextInt(CUSTOMERS);
        BigDecimal amount = new BigDecimal("1.00");
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement claim = c.prepareStatement(CLAIM.replaceAll("\\$\\d", "?"));
                    PreparedStatement debit = c.prepareStatement("UPDATE customer SET available_credit = "
                            + "available_credit - ? WHERE id = ? AND available_credit >= ?");
                    PreparedStatement approve = c.prepareStatement(APPROVE.replace("$1", "?"));
                    PreparedStatement balance = c.prepareStatement(BALANCE.replace("$1", "?"))) {
                claim.setString(1, orderId);
                claim.setString(2, customer);
                claim.setBigDecimal(3, amount);
                if (claim.executeUpdate() == 1) {
                    debit.setBigDecimal(1, amount);
                    debit.setString(2, customer);
                    debit.setBigDecimal(3, amount);
                    if (debit.executeUpdate() == 1) {
                        approve.setString(1, orderId);
                        approve.executeUpdate();
                    }
                }
                balance.setString(1, customer);
                balance.executeQuery().close();
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    static long[] reactive(PgPool pool, int concurrency, int seconds) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicBoolean failed = new AtomicBoolean();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            CompletableFuture<Void> lane = new CompletableFuture<>();
            lanes.add(lane);
            next(pool, end, latencies, lane, failed);
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).get(seconds + 30L, TimeUnit.SECONDS);
        if (failed.get()) {
            throw new IllegalStateException("a reactive transaction failed");
        }
        return latencies.stream().mapToLong(Long::longValue).toArray();
    }

    /** One lane: a transaction, then the next one as soon as it completes, until the end. */
    static void next(PgPool pool, long end, ConcurrentLinkedQueue<Long> latencies, CompletableFuture<Void> lane,
            AtomicBoolean failed) {
        if (System.nanoTime() >= end) {
            lane.complete(null);
            return;
        }
        long start = System.nanoTime();
        String orderId = UUID.randomUUID().toString();
        String customer = "c" + ThreadLocalRandom.current().nextInt(CUSTOMERS);
        BigDecimal amount = new BigDecimal("1.00");
        pool.withTransaction(c -> c.preparedQuery(CLAIM).execute(Tuple.of(orderId, customer, amount))
                .compose(claimed -> claimed.rowCount() != 1 ? Future.succeededFuture()
                        : c.preparedQuery(DEBIT).execute(Tuple.of(amount, customer))
                                .compose(debited -> debited.rowCount() != 1 ? Future.succeededFuture()
                                        : c.preparedQuery(APPROVE).execute(Tuple.of(orderId)).mapEmpty()))
                .compose(ignored -> c.preparedQuery(BALANCE).execute(Tuple.of(customer))))
                .onComplete(done -> {
                    if (done.failed()) {
                        failed.set(true);
                        lane.completeExceptionally(done.cause());
                        return;
                    }
                    latencies.add(System.nanoTime() - start);
                    next(pool, end, latencies, lane, failed);
                });
    }
}
