package dev.bourse.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WalletPolicyStatus {
    public Long observedGeneration;
    /** The engine's version of the stored policy. */
    public Long version;
    public List<Condition> conditions = new ArrayList<>();
}
