package dev.unmask.shared.store;

import dev.unmask.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real PostgreSQL (embedded) and a migrated {@link Database} for one test class. */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedPostgres postgres;
    private Database db;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        postgres = EmbeddedPostgres.start(null, 0);
        db = Database.open(postgres.jdbcUrl(), postgres.username(), postgres.password(), 4, "test");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (db != null) {
            db.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    public Database db() {
        return db;
    }
}
