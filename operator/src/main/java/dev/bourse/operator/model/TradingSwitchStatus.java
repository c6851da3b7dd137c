package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TradingSwitchStatus {
    public Long observedGeneration;
    /** The engines' switch-board version that holds this generation of the switch. */
    public Long boardVersion;
    public List<ShardApplied> shards = new ArrayList<>();
    public List<Condition> conditions = new ArrayList<>();

    /** What one engine pod reported. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ShardApplied {
        public Integer shard;
        public String pod;
        public Long appliedVersion;
        /** Every command sequenced after this number is judged by the switch. */
        public Long appliedAfterSeq;
        public Boolean confirmed;
        public Boolean drained;
        public Integer queueLength;
    }
}
