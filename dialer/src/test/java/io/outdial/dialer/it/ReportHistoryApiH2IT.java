package io.outdial.dialer.it;

import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.support.TestConfigs;
import java.nio.file.Path;

/** {@link ReportHistoryApiIT} on the embedded H2 database. */
class ReportHistoryApiH2IT extends ReportHistoryApiIT {
    @Override
    DialerConfig config(Path dir) {
        return TestConfigs.local(dir);
    }
}
