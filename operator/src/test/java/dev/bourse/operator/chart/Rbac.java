package dev.bourse.operator.chart;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** The RBAC rules a rendered chart grants to a subject, resolved through its (Cluster)RoleBindings. */
final class Rbac {
    private Rbac() {
    }

    /** A rule as granted: the role it comes from and whether it applies cluster-wide. */
    record Grant(String role, boolean clusterWide, PolicyRule rule) {
        boolean covers(String apiGroup, String resource, String verb) {
            return rule.getApiGroups().contains(apiGroup) && rule.getResources().contains(resource)
                    && rule.getVerbs().contains(verb);
        }
    }

    static List<Grant> grantedToServiceAccount(RenderedChart chart, String name, String namespace) {
        return granted(chart, s -> "ServiceAccount".equals(s.getKind()) && name.equals(s.getName())
                && namespace.equals(s.getNamespace()));
    }

    static List<Grant> granted(RenderedChart chart, Predicate<Subject> subject) {
        List<Grant> out = new ArrayList<>();
        for (RoleBinding b : chart.all(RoleBinding.class)) {
            if (b.getSubjects().stream().anyMatch(subject)) {
                out.addAll(rulesOf(chart, b.getRoleRef(), false));
            }
        }
        for (ClusterRoleBinding b : chart.all(ClusterRoleBinding.class)) {
            if (b.getSubjects().stream().anyMatch(subject)) {
                out.addAll(rulesOf(chart, b.getRoleRef(), true));
            }
        }
        return out;
    }

    private static List<Grant> rulesOf(RenderedChart chart, RoleRef ref, boolean clusterBinding) {
        if ("ClusterRole".equals(ref.getKind())) {
            ClusterRole r = chart.named(ClusterRole.class, ref.getName());
            return r.getRules().stream().map(rule -> new Grant(ref.getName(), clusterBinding, rule)).toList();
        }
        Role r = chart.named(Role.class, ref.getName());
        return r.getRules().stream().map(rule -> new Grant(ref.getName(), false, rule)).toList();
    }

    /** Every rule of every Role and ClusterRole the chart renders. */
    static List<PolicyRule> allRules(RenderedChart chart) {
        List<PolicyRule> out = new ArrayList<>();
        chart.all(Role.class).forEach(r -> out.addAll(r.getRules()));
        chart.all(ClusterRole.class).forEach(r -> out.addAll(Objects.requireNonNullElse(r.getRules(), List.of())));
        return out;
    }
}
