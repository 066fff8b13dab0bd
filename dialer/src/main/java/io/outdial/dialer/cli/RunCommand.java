package io.outdial.dialer.cli;

import io.outdial.dialer.campaign.CampaignFile;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run CAMPAIGN.yaml [--results OUT.csv] [--data DIR]}: runs one campaign file to its end against the
 * configured telephony (the embedded sandbox PBX when none is configured), with a progress line on stderr,
 * then writes the results file. Ctrl-C pauses safely; running it again resumes (state in DIR, by campaign id).
 */
final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String usage() {
        return "CAMPAIGN.yaml [--results OUT.csv] [--data DIR]";
    }

    @Override
    public String summary() {
        return "run a campaign file to the end (sandbox PBX when no Asterisk is configured), write results CSV";
    }

    @Override
    public int run(List<String> args, CommandContext ctx) {
        Path file = null;
        Path results = null;
        Path data = Path.of("data");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--results") || a.equals("--data")) && i + 1 < args.size()) {
                Path v = Path.of(args.get(++i));
                if (a.equals("--results")) {
                    results = v;
                } else {
                    data = v;
                }
            } else if (!a.startsWith("--") && file == null) {
                file = Path.of(a);
            } else {
                ctx.err().println("outdial run: unexpected argument \"" + a + "\" (usage: outdial run " + usage() + ")");
                return USAGE;
            }
        }
        if (file == null) {
            ctx.err().println("outdial run: no campaign file given (usage: outdial run " + usage() + ")");
            return USAGE;
        }
        CampaignFile campaign;
        try {
            campaign = CampaignFile.load(file);
        } catch (RuntimeException e) {
            ctx.err().println("outdial run: " + e.getMessage());
            return USAGE;
        }
        Path out = results != null ? results : Path.of(campaign.settings().campaignId() + "-results.csv");
        return new HeadlessRun(campaign, out, data, ctx).run();
    }
}
