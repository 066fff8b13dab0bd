package io.outdial.dialer.campaign;

import io.outdial.ivr.engine.FlowInterpreter;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.flow.FlowValidator;
import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.ivr.spi.FlowRunner;

import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

/** The flow file a campaign file names ({@code flow: FILE}), read and validated. */
final class FlowFile {
    private FlowFile() {
    }

    /** The validated flow of a campaign file, or null when it names none; throws naming the file when invalid. */
    static FlowRunner load(CampaignFile file) {
        if (file.flowId() != null) {
            throw new IllegalArgumentException("flowId " + file.flowId() + " names a flow stored on a server; "
                    + "a campaign file run from the command line needs flow: FILE");
        }
        if (file.flow() == null) {
            return null;
        }
        String text;
        try {
            text = Files.readString(file.flow());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("flow file " + file.flow() + " cannot be read: " + e.getMessage(), e);
        }
        ValidationReport report = FlowValidator.validate(text,
                FlowDocuments.Format.ofFileName(file.flow().getFileName().toString()),
                VoiceCatalog.of(Map.of("freetts", Set.of("kevin16"))));
        if (!report.isValid()) {
            throw new IllegalArgumentException("flow file " + file.flow() + " is not valid:\n" + report.render());
        }
        return FlowInterpreter.of(report);
    }
}
