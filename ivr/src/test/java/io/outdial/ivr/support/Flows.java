package io.outdial.ivr.support;

import io.outdial.ivr.engine.FlowInterpreter;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.flow.FlowValidator;
import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test fixtures: a voice catalog, example flows, and a started session on a fake call. */
public final class Flows {

    public static final VoiceCatalog VOICES = VoiceCatalog.of(Map.of(
            "freetts", Set.of("kevin16"), "espeak-ng", Set.of("ru", "uk", "en-us")));

    private Flows() {
    }

    public static ValidationReport example(String fileName) {
        return FlowValidator.validate(FlowDocuments.parse(Path.of("examples", fileName)), VOICES);
    }

    public static ValidationReport yaml(String text) {
        return FlowValidator.validate(text, FlowDocuments.Format.YAML, VOICES);
    }

    /** A started run of a valid flow on a fake call. */
    public static final class Run {
        public final FakeCallControl call = new FakeCallControl();
        public final List<FlowResult> results = new ArrayList<>();
        public final FlowSession session;

        public Run(ValidationReport report, Map<String, String> contact, String amd) {
            this(FlowInterpreter.of(report), contact, amd);
        }

        public Run(FlowInterpreter runner, Map<String, String> contact, String amd) {
            session = runner.open(new CallInfo("a1", "+15550001", contact, amd, null), call, results::add);
            call.attach(session);
            session.start();
        }

        public FlowResult result() {
            if (results.size() != 1) {
                throw new AssertionError("expected exactly one result, got " + results);
            }
            return results.get(0);
        }
    }

    public static Run run(ValidationReport report) {
        return new Run(report, Map.of(), null);
    }
}
