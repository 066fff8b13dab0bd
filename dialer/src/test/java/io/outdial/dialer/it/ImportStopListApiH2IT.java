package io.outdial.dialer.it;

import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.support.TestConfigs;
import java.nio.file.Path;

/** {@link ImportStopListApiIT} on the embedded H2 database. */
class ImportStopListApiH2IT extends ImportStopListApiIT {
    @Override
    DialerConfig config(Path dir) {
        return TestConfigs.local(dir);
    }
}
