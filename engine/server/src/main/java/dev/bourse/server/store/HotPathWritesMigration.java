package dev.bourse.server.store;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * Migration 11, PostgreSQL only: the tables the batch writer fills on every command lose the per-row
 * work that does not protect money.
 * <ul>
 *   <li>Foreign keys of {@code ledger_entries} and {@code orders} to accounts, assets and instruments:
 *   each inserted row ran two trigger queries and took a share lock on the referenced rows. The
 *   engine only writes legs and orders for accounts whose balance rows it just updated (those keep
 *   their foreign keys), and reconciliation reports any row that names an unknown account, asset or
 *   instrument.</li>
 *   <li>Fill factors below 100 for {@code orders} and {@code balances}, so that the updates a batch
 *   makes (order fills and cancels, balance changes) can stay on their page (heap-only tuples).</li>
 * </ul>
 * H2, the embedded development database, keeps its foreign keys. Measured in docs/performance.md.
 */
public final class HotPathWritesMigration implements JavaMigration {
    private static final String[] POSTGRESQL = {
            "ALTER TABLE ledger_entries DROP CONSTRAINT IF EXISTS ledger_entries_account_id_fkey, "
                    + "DROP CONSTRAINT IF EXISTS ledger_entries_asset_id_fkey",
            "ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_user_id_fkey, DROP CONSTRAINT IF EXISTS orders_inst_id_fkey",
            "ALTER TABLE orders SET (fillfactor = 85)",
            "ALTER TABLE balances SET (fillfactor = 80)",
    };

    private final Dialect dialect;

    public HotPathWritesMigration(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("11");
    }

    @Override
    public String getDescription() {
        return "hot path writes";
    }

    @Override
    public Integer getChecksum() {
        return 11;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        try (Statement st = context.getConnection().createStatement()) {
            for (String sql : POSTGRESQL) {
                st.execute(sql);
            }
        }
    }
}
