package dev.accesstoken.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the service under test a fresh, empty PostgreSQL database of its own (see {@link Postgres}), so
 * its Flyway migrations run from scratch. A test reaches the same database directly through a
 * {@link Postgres.Database} field annotated {@code @InjectDatabase}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectDatabase {
    }

    private Postgres.Database database;

    @Override
    public Map<String, String> start() {
        database = Postgres.newDatabase("test");
        return database.quarkusConfig();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(database, field -> field.getType() == Postgres.Database.class
                && field.isAnnotationPresent(InjectDatabase.class));
    }

    @Override
    public void stop() {
        // The database is dropped with the server when the JVM exits; each start gets a new one.
    }
}
