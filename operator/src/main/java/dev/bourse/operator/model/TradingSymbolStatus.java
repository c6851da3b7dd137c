package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TradingSymbolStatus {
    public Long observedGeneration;
    /** The shard whose engine pod runs the symbol now. */
    public Integer shard;
    /** The state the owning engine reports (Trading | CancelOnly | Halted), which the breaker may also set. */
    public SymbolState appliedState;
    /** While a symbol moves between shards: Halting, Draining, Reassigning, Recovering, Resuming; absent otherwise. */
    public String movePhase;
    /** The shard a move started from. */
    public Integer moveFrom;
    /** The shard a move goes to (kept so a balanced move does not change its mind half-way). */
    public Integer moveTo;
    public List<Condition> conditions = new ArrayList<>();
}
