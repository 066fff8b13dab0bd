package io.outdial.dialer.it;

import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;

/** {@link ReportHistoryApiIT} on PostgreSQL (the embedded test server, a fresh database). */
class ReportHistoryApiPostgresIT extends ReportHistoryApiIT {
    @Override
    DialerConfig config(Path dir) {
        return TestConfigs.local(dir).withDatabase(new DatabaseConfig(EmbeddedPostgres.get().createDatabase(),
            "postgres", "", dir.toString(), 4, Duration.ofSeconds(10)));
    }
}
