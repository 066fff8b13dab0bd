package io.outdial.dialer.app;

import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.storage.Database;
import io.vertx.core.Vertx;
import java.time.Clock;
import io.outdial.dialer.contact.ContactImporter;
import io.outdial.dialer.contact.ImportReport;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.stoplist.JdbcStopList;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds a campaign from campaign files on the classpath on the first start: copies them into a directory
 * (e.g. the data directory), creates the campaign with the file's definition stored in it, imports its
 * contacts and makes it RUNNING. Idempotent: when the campaign already exists nothing changes (a restart
 * resumes it, a finished one stays finished). Add it before {@link io.outdial.dialer.dialing.CampaignRunners};
 * built by {@link Wiring#seed}.
 */
final class CampaignSeed implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignSeed.class);

    private final Vertx vertx;
    private final Database database;
    private final Clock clock;
    private final Executor importReaders;
    private final String resourceDir;
    private final List<String> files;
    private final Path target;

    /**
     * @param resourceDir classpath folder, e.g. {@code demo}
     * @param files       the campaign file first, then the files it names (contacts, flow)
     * @param target      directory the files are copied into
     */
    CampaignSeed(Vertx vertx, Database database, Clock clock, Executor importReaders, String resourceDir,
                 List<String> files, Path target) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("campaign seed from " + resourceDir + ": no files given");
        }
        this.vertx = vertx;
        this.database = database;
        this.clock = clock;
        this.importReaders = importReaders;
        this.resourceDir = resourceDir;
        this.files = List.copyOf(files);
        this.target = target;
    }

    @Override
    public String name() {
        return "seed:" + resourceDir;
    }

    @Override
    public Future<Void> start() {
        return vertx.executeBlocking(() -> {
            seed();
            return null;
        });
    }

    private void seed() throws IOException {
        Files.createDirectories(target);
        for (String f : files) {
            Path out = target.resolve(f);
            if (Files.exists(out)) {
                continue;
            }
            try (InputStream in = CampaignSeed.class.getClassLoader().getResourceAsStream(resourceDir + "/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("classpath resource " + resourceDir + "/" + f + " is missing");
                }
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path campaignFile = target.resolve(files.get(0)).toAbsolutePath().normalize();
        CampaignFile file = CampaignFile.load(campaignFile);
        String id = file.settings().campaignId();
        DataSource ds = database.dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, clock);
        if (store.get(id).isPresent()) {
            LOG.info("campaign {}: already seeded ({}), left as it is", id, store.get(id).get().state());
            return;
        }
        store.create(file.draft(clock.instant()));
        PhoneNormalizer normalizer = new PhoneNormalizer(file.region());
        JdbcStopList stop = new JdbcStopList(ds, clock, normalizer);
        ImportReport r = new ContactImporter(ds, clock, normalizer, importReaders).importFile(id, file.contacts(), file.columns(),
            stop.snapshot(id), (read, imported, rejected) -> { });
        store.moveTo(store.get(id).orElseThrow(), CampaignState.RUNNING, "seeded from " + resourceDir);
        LOG.info("campaign {}: seeded from classpath {}: {} contacts imported, {} rejected; RUNNING", id,
            resourceDir, r.imported(), r.rejected());
    }

}
