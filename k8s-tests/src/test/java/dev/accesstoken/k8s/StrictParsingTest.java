package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Manifests#parse} accepts strictly valid YAML only. */
class StrictParsingTest {

    static String fixture(String name) {
        try (InputStream in = StrictParsingTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void validYamlParsesIntoTheModel() {
        Manifests m = Manifests.parse(fixture("valid.yaml"));
        assertEquals(2, m.objects().size());
        assertEquals(2, m.get(Deployment.class, "demo").getSpec().getReplicas());
        assertEquals(1, m.get(NetworkPolicy.class, "demo").getSpec().getIngress().get(0).getFrom().size());
    }

    @Test
    void unknownFieldsAreReportedWithTheirPath() {
        var e = assertThrows(Manifests.InvalidManifestException.class, () -> Manifests.parse(fixture("unknown-fields.yaml")));
        assertTrue(e.getMessage().contains("Deployment/demo: unknown field spec.template.spec.containers[0].securityContex"), e.getMessage());
        assertTrue(e.getMessage().contains("NetworkPolicy/demo: unknown field spec.ingress[0].form"), e.getMessage());
    }

    @Test
    void unknownFieldAtTheTopAndInAMapValue() {
        Manifests m = Manifests.parse(fixture("valid.yaml"));
        Deployment d = m.get(Deployment.class, "demo");
        assertEquals(List.of(), Manifests.unknownFields(d));
        d.getAdditionalProperties().put("extra", 1);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory")
                .getAdditionalProperties().put("unit", "Mi");
        assertEquals(List.of("extra", "spec.template.spec.containers[0].resources.limits.memory.unit"),
                Manifests.unknownFields(d).stream().sorted().toList());
    }

    @Test
    void valuesOfTheWrongTypeAreRejected() {
        var e = assertThrows(Manifests.InvalidManifestException.class, () -> Manifests.parse(fixture("wrong-type.yaml")));
        assertTrue(e.getMessage().contains("replicas"), e.getMessage());
    }

    @Test
    void unknownKindsAreRejected() {
        var e = assertThrows(Manifests.InvalidManifestException.class, () -> Manifests.parse(fixture("unknown-kind.yaml")));
        assertTrue(e.getMessage().contains("Unknown kind example.com/v1 Widget"), e.getMessage());
    }
}
