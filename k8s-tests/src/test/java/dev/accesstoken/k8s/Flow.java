package dev.accesstoken.k8s;

/**
 * One connection a NetworkPolicy allows, seen from one end: an ingress rule of the destination's
 * policy or an egress rule of the source's. A peer is a pod's app name (a Deployment in the
 * namespace) or a description such as {@code namespace[kubernetes.io/metadata.name=ingress-nginx]}.
 * The port is "PROTOCOL/port", "*" for any port.
 */
public record Flow(Direction direction, String from, String to, String port) {

    public enum Direction { INGRESS, EGRESS }

    public static Flow ingress(String from, String to, String port) {
        return new Flow(Direction.INGRESS, from, to, port);
    }

    public static Flow egress(String from, String to, String port) {
        return new Flow(Direction.EGRESS, from, to, port);
    }

    /** Peer text for pods selected by namespace labels only. */
    public static String namespace(String name) {
        return "namespace[kubernetes.io/metadata.name=" + name + "]";
    }

    @Override
    public String toString() {
        return direction.name().toLowerCase() + " " + from + " -> " + to + " " + port;
    }
}
