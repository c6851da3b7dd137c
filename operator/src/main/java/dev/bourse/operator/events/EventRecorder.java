package dev.bourse.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * core/v1 Events on the operator's resources ({@code kubectl describe} shows them). Best effort: an Event that cannot
 * be written is logged, never fails a reconcile.
 */
public final class EventRecorder {
    public static final String COMPONENT = "bourse-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());

    private final KubernetesClient client;
    private final String instance;

    public EventRecorder(KubernetesClient client, String instance) {
        this.client = client;
        this.instance = instance == null ? COMPONENT : instance;
    }

    public void normal(HasMetadata on, String reason, String message) {
        emit(on, "Normal", reason, message);
    }

    public void warning(HasMetadata on, String reason, String message) {
        emit(on, "Warning", reason, message);
    }

    private void emit(HasMetadata on, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = on.getMetadata().getNamespace();
        Event e = new EventBuilder()
                .withNewMetadata()
                .withName(on.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                .withNamespace(ns)
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(on.getApiVersion())
                        .withKind(on.getKind())
                        .withName(on.getMetadata().getName())
                        .withNamespace(ns)
                        .withUid(on.getMetadata().getUid())
                        .withResourceVersion(on.getMetadata().getResourceVersion())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent("trading.bourse.dev/" + COMPONENT)
                .withReportingInstance(instance)
                .build();
        try {
            client.v1().events().inNamespace(ns).resource(e).create();
        } catch (KubernetesClientException ex) {
            LOG.log(Level.WARNING, "could not record event " + reason + " on " + on.getKind() + " " + ns + "/"
                    + on.getMetadata().getName() + ": " + ex.getMessage());
        }
        LOG.info(() -> type + " " + reason + " " + on.getKind() + " " + ns + "/" + on.getMetadata().getName() + ": "
                + message);
    }
}
