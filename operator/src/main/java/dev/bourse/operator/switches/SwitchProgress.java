package dev.bourse.operator.switches;

import dev.bourse.operator.engine.EngineStatus;
import dev.bourse.operator.engine.ShardReport;
import dev.bourse.operator.model.TradingSwitchSpec;
import dev.bourse.operator.model.TradingSwitchStatus.ShardApplied;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where every shard stands with one switch, from the pods' {@code /status}:
 * <ul>
 *   <li>a shard <b>confirms</b> the switch when its sequencer enforces a board version at least the switch's version
 *   (it adopts versions between batches, so every command sequenced afterwards is judged by it);</li>
 *   <li>a shard is <b>drained</b> when it confirms the switch, nothing waits in its queue and no batch is being
 *   written: every order it took before the switch is committed and answered, every later one is refused;</li>
 *   <li>the <b>affected</b> shards of a drain are all shards for a global, users or assets scope, and the owners of
 *   the listed symbols for a symbols scope.</li>
 * </ul>
 */
public final class SwitchProgress {
    private final List<ShardApplied> shards;
    private final List<Integer> unconfirmed;
    private final List<Integer> affected;
    private final List<Integer> undrained;
    private final List<String> problems;

    private SwitchProgress(List<ShardApplied> shards, List<Integer> unconfirmed, List<Integer> affected,
                           List<Integer> undrained, List<String> problems) {
        this.shards = shards;
        this.unconfirmed = unconfirmed;
        this.affected = affected;
        this.undrained = undrained;
        this.problems = problems;
    }

    public static SwitchProgress of(TradingSwitchSpec spec, long switchVersion, List<ShardReport> reports) {
        List<ShardApplied> rows = new ArrayList<>();
        List<Integer> unconfirmed = new ArrayList<>();
        List<Integer> affected = new ArrayList<>();
        List<Integer> undrained = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean symbolScoped = EngineSwitch.symbolScoped(spec);
        List<String> symbols = EngineSwitch.scopeSymbols(spec);
        for (ShardReport r : reports) {
            ShardApplied row = new ShardApplied();
            row.shard = r.shard();
            row.pod = r.pod().name();
            EngineStatus s = r.status();
            boolean confirmed = s != null && s.appliedSwitchVersion() >= switchVersion;
            boolean drained = confirmed && s.idle();
            if (s != null) {
                row.appliedVersion = s.appliedSwitchVersion();
                row.appliedAfterSeq = s.appliedAfterSeq();
                row.queueLength = s.queueLength();
            } else {
                problems.add(r.problem());
            }
            row.confirmed = confirmed;
            row.drained = drained;
            rows.add(row);
            if (!confirmed) {
                unconfirmed.add(r.shard());
            }
            // an unreachable shard of a symbols scope might own one of the symbols: count it as affected
            boolean isAffected = !symbolScoped || s == null || symbols.stream().anyMatch(s::hasLoaded);
            if (isAffected) {
                affected.add(r.shard());
                if (!drained) {
                    undrained.add(r.shard());
                }
            }
        }
        return new SwitchProgress(rows, unconfirmed, affected, undrained, problems);
    }

    public List<ShardApplied> shards() {
        return shards;
    }

    /** Every shard enforces the switch (and there is at least one shard). */
    public boolean applied() {
        return unconfirmed.isEmpty() && !shards.isEmpty();
    }

    /** Every affected shard is drained. */
    public boolean drained() {
        return undrained.isEmpty() && !shards.isEmpty();
    }

    public List<Integer> unconfirmed() {
        return unconfirmed;
    }

    public List<Integer> affected() {
        return affected;
    }

    public List<Integer> undrained() {
        return undrained;
    }

    /** Why some shards could not be read. */
    public List<String> problems() {
        return problems;
    }

    /** "shard 0: queue 12, 1 batch in flight; shard 1: not enforcing yet" for the Drained message. */
    public String describeUndrained() {
        return undrained.stream().map(i -> {
            ShardApplied a = shards.stream().filter(s -> s.shard == i).findFirst().orElseThrow();
            if (a.appliedVersion == null) {
                return "shard " + i + ": not reachable";
            }
            if (!Boolean.TRUE.equals(a.confirmed)) {
                return "shard " + i + ": not enforcing the switch yet (applied version " + a.appliedVersion + ")";
            }
            return "shard " + i + ": queue " + a.queueLength + (a.queueLength == 0 ? ", a batch being written" : "");
        }).collect(Collectors.joining("; "));
    }
}
