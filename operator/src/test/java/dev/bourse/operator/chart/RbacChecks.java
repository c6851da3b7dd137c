package dev.bourse.operator.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RBAC assertions shared by the default and the all-options renders. */
final class RbacChecks {
    private RbacChecks() {
    }

    static void noWildcards(RenderedChart chart) {
        for (PolicyRule r : Rbac.allRules(chart)) {
            for (List<String> field : List.of(r.getApiGroups(), r.getResources(), r.getVerbs(),
                    r.getResourceNames())) {
                assertFalse(field.contains("*"), "wildcard in " + r);
            }
            assertTrue(r.getNonResourceURLs().isEmpty(), "non-resource URL rule " + r);
            assertFalse(r.getVerbs().contains("escalate") || r.getVerbs().contains("bind")
                    || r.getVerbs().contains("impersonate"), r.toString());
        }
    }

    static void operatorCanDoItsJob(List<Rbac.Grant> grants) {
        String g = "trading.bourse.dev";
        List<String[]> needed = List.of(
                new String[]{g, "tradingsymbols", "watch"}, new String[]{g, "tradingsymbols/status", "patch"},
                new String[]{g, "tradingsymbols/finalizers", "update"}, new String[]{g, "tradingsymbols", "patch"},
                new String[]{g, "tradingswitches", "watch"}, new String[]{g, "tradingswitches", "create"},
                new String[]{g, "tradingswitches", "delete"}, new String[]{g, "tradingswitches/status", "patch"},
                new String[]{g, "walletpolicies", "watch"}, new String[]{g, "walletpolicies/status", "patch"},
                new String[]{g, "ledgerreconciliations", "watch"}, new String[]{g, "ledgerreconciliations", "create"},
                new String[]{g, "ledgerreconciliations/status", "patch"},
                new String[]{g, "ledgerreconciliations/finalizers", "update"},
                new String[]{"apps", "statefulsets", "get"}, new String[]{"apps", "statefulsets", "list"},
                new String[]{"apps", "statefulsets", "watch"}, new String[]{"apps", "statefulsets", "patch"},
                new String[]{"", "pods", "get"}, new String[]{"", "pods", "list"}, new String[]{"", "pods", "watch"},
                new String[]{"", "pods", "delete"},
                new String[]{"batch", "jobs", "create"}, new String[]{"batch", "jobs", "get"},
                new String[]{"batch", "jobs", "list"}, new String[]{"batch", "jobs", "watch"},
                new String[]{"batch", "jobs", "delete"},
                new String[]{"", "events", "create"}, new String[]{"", "events", "patch"},
                new String[]{"events.k8s.io", "events", "create"},
                new String[]{"coordination.k8s.io", "leases", "create"},
                new String[]{"coordination.k8s.io", "leases", "get"},
                new String[]{"coordination.k8s.io", "leases", "update"});
        for (String[] n : needed) {
            assertTrue(grants.stream().anyMatch(gr -> gr.covers(n[0], n[1], n[2])),
                    "operator may not " + n[2] + " " + n[1] + " (" + n[0] + ")");
        }
    }

    static void operatorHasNoSecretsOrExtras(List<Rbac.Grant> grants) {
        Set<String> allowed = Set.of("tradingsymbols", "tradingswitches", "walletpolicies", "ledgerreconciliations",
                "tradingsymbols/status", "tradingswitches/status", "walletpolicies/status",
                "ledgerreconciliations/status", "tradingsymbols/finalizers", "tradingswitches/finalizers",
                "walletpolicies/finalizers", "ledgerreconciliations/finalizers", "statefulsets", "pods", "jobs",
                "events", "leases");
        for (Rbac.Grant gr : grants) {
            for (String res : gr.rule().getResources()) {
                assertTrue(allowed.contains(res), "operator is granted " + res + " by " + gr.role());
            }
            if (gr.rule().getResources().contains("pods") || gr.rule().getResources().contains("statefulsets")) {
                assertFalse(gr.rule().getVerbs().contains("create"), "the operator never creates pods or "
                        + "StatefulSets (Helm owns them)");
            }
        }
    }

    static void onlyTradingSwitches(Role ops) {
        for (PolicyRule r : ops.getRules()) {
            assertEquals(List.of("trading.bourse.dev"), r.getApiGroups());
            for (String res : r.getResources()) {
                assertTrue(res.equals("tradingswitches") || res.equals("tradingswitches/status"), res);
                if (res.equals("tradingswitches/status")) {
                    assertEquals(List.of("get"), r.getVerbs(), "status is the operator's to write");
                }
            }
        }
        assertTrue(ops.getRules().stream().anyMatch(r -> r.getResources().contains("tradingswitches")
                && r.getVerbs().containsAll(List.of("get", "list", "watch", "create", "update", "patch", "delete"))));
    }
}
