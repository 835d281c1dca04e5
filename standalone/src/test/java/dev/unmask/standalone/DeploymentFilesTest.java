package dev.unmask.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.shared.config.Setting;
import dev.unmask.shared.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Docker cannot run on the build machines, so the deployment files are checked here: every
 * service's UNMASK_* variable is a setting the code reads, the roles get what they need, GPU
 * workers reserve a device and scale by replicas, and the README documents every setting.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Set<String> READ = Settings.ALL.stream().map(Setting::name).collect(Collectors.toSet());

    @SuppressWarnings("unchecked")
    static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(String name) throws IOException {
        return (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> environment(String name) throws IOException {
        return (Map<String, Object>) service(name).get("environment");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyUnmaskVariableInTheComposeFileIsASettingTheCodeReads() throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        int checked = 0;
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) service.getValue()).get("environment");
            if (env == null) {
                continue;
            }
            for (String name : env.keySet()) {
                if (name.startsWith("UNMASK_")) {
                    assertTrue(READ.contains(name), service.getKey() + " sets " + name + ", which no code reads");
                    checked++;
                }
            }
        }
        assertTrue(checked > 20, "only " + checked + " settings found: is the compose file's anchor resolved?");
    }

    @Test
    void theRolesGetTheirInfrastructureAndKeys() throws IOException {
        for (String role : List.of("gateway", "gpu-worker", "cpu-worker")) {
            Map<String, Object> env = environment(role);
            for (String needed : List.of("UNMASK_DB_URL", "UNMASK_KAFKA_BOOTSTRAP", "UNMASK_ARTIFACTS_DIR")) {
                assertTrue(env.containsKey(needed), role + " lacks " + needed);
            }
        }
        assertTrue(environment("gateway").containsKey("UNMASK_API_KEYS"));
        assertEquals("gpu", environment("gpu-worker").get("UNMASK_DEVICE"));
        assertEquals("cpu", environment("cpu-worker").get("UNMASK_DEVICE"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void gpuWorkersReserveAnNvidiaDeviceAndScaleByReplicas() throws IOException {
        Map<String, Object> deploy = (Map<String, Object>) service("gpu-worker").get("deploy");
        assertTrue(deploy.containsKey("replicas"));
        Map<String, Object> reservations = (Map<String, Object>) ((Map<String, Object>) deploy.get("resources"))
                .get("reservations");
        Map<String, Object> device = ((List<Map<String, Object>>) reservations.get("devices")).get(0);
        assertEquals("nvidia", device.get("driver"));
        assertEquals(List.of("gpu"), device.get("capabilities"));
        assertEquals(List.of("cpu"), service("cpu-worker").get("profiles"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyBuiltImageHasItsDockerfileAndEveryInfraServiceAHealthCheck() throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Map<String, Object> service = (Map<String, Object>) e.getValue();
            Map<String, Object> build = (Map<String, Object>) service.get("build");
            if (build != null) {
                Path dockerfile = ROOT.resolve((String) build.get("dockerfile"));
                assertTrue(Files.isRegularFile(dockerfile), e.getKey() + ": " + dockerfile);
                String text = Files.readString(dockerfile);
                assertTrue(text.contains("dev.unmask."), dockerfile + " starts no Unmask main class");
            }
        }
        for (String s : List.of("kafka", "postgres", "gateway")) {
            assertFalse(service(s).get("healthcheck") == null, s + " has no health check");
        }
    }

    @Test
    void theReadmeDocumentsEverySetting() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (Setting s : Settings.ALL) {
            assertTrue(readme.contains("`" + s.name() + "`"), "README lacks " + s.name());
        }
    }
}
