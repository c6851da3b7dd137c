package dev.bourse.operator.reconciliation;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Kubernetes Events ({@code kubectl describe}, {@code kubectl get events}) about the operator's resources. Each
 * event has a name derived from what it reports, so reporting the same thing again (a retried reconcile) does not
 * add a second event.
 */
public final class WarningEvents {
    public static final String COMPONENT = "bourse-operator";
    private static final int MAX_MESSAGE = 1024;
    private static final int MAX_NAME = 253;

    private WarningEvents() {
    }

    /**
     * Records a Warning event on {@code object}.
     *
     * @param occurrence distinguishes separate occurrences of the same reason on the same object (e.g. a timestamp);
     *                   the same occurrence reported twice is one event
     */
    public static void warn(KubernetesClient client, HasMetadata object, String reason, String message,
                            String occurrence) {
        String suffix = "." + (reason + "-" + occurrence).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        String base = object.getMetadata().getName();
        String name = (base.length() + suffix.length() > MAX_NAME
                ? base.substring(0, MAX_NAME - suffix.length()) : base) + suffix;
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(object.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(object.getApiVersion())
                        .withKind(object.getKind())
                        .withName(object.getMetadata().getName())
                        .withNamespace(object.getMetadata().getNamespace())
                        .withUid(object.getMetadata().getUid())
                        .build())
                .withType("Warning")
                .withReason(reason)
                .withMessage(message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…")
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) { // already reported
                throw e;
            }
        }
    }
}
