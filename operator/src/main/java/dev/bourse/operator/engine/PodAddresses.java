package dev.bourse.operator.engine;

import java.net.URI;

/** Where an engine pod answers. In a cluster a DNS name through the headless service; tests map shards to ports. */
@FunctionalInterface
public interface PodAddresses {
    URI address(String namespace, String podName, int shard);

    /**
     * {@code {pod}}, {@code {service}}, {@code {namespace}}, {@code {port}} and {@code {shard}} replaced, e.g.
     * {@code http://{pod}.{service}.{namespace}.svc:{port}}.
     */
    static PodAddresses fromTemplate(String template, String service, int port) {
        return (namespace, pod, shard) -> URI.create(template
                .replace("{pod}", pod)
                .replace("{service}", service)
                .replace("{namespace}", namespace)
                .replace("{port}", Integer.toString(port))
                .replace("{shard}", Integer.toString(shard)));
    }
}
