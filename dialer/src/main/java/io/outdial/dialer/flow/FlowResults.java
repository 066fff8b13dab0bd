package io.outdial.dialer.flow;

import io.outdial.dialer.storage.StorageException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.survey.SurveyAggregates;
import io.outdial.ivr.survey.SurveyReport;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Flow results per attempt, as the call engine stores them ({@code call_records.flow_result}, one JSON document per
 * attempt, written by {@code CallRecordWriter}), and the survey aggregates computed from them. Blocking.
 */
final class FlowResults {
    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final DataSource dataSource;

    public FlowResults(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every flow result of a campaign's attempts, in attempt id order. */
    public List<FlowResult> ofCampaign(String campaignId) {
        String sql = "SELECT attempt_id, flow_result FROM call_records WHERE campaign_id = ? AND flow_result IS NOT NULL"
            + " ORDER BY attempt_id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, campaignId);
            List<FlowResult> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(parse(rs.getString(1), rs.getString(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("reading flow results of campaign " + campaignId + " failed: "
                + e.getMessage(), e);
        }
    }

    /**
     * Survey aggregates of {@code flow} over a campaign's results (results of other flows are left out; every
     * version of the flow counts, as {@link SurveyAggregates} defines).
     */
    public SurveyReport aggregates(Flow flow, String campaignId) {
        return SurveyAggregates.of(flow, ofCampaign(campaignId));
    }

    private static FlowResult parse(String attemptId, String json) {
        try {
            return JSON.readValue(json, FlowResult.class);
        } catch (JsonProcessingException e) {
            throw new FlowStoreException("flow result of attempt " + attemptId + " is not readable: "
                + e.getOriginalMessage(), e);
        }
    }
}
