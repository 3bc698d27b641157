package com.example;

import io.netty.util.Version;
import io.rustmq.client.ClientConfig;
import io.rustmq.client.RustMQClient;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user's build of rustmq-client puts on the class path: the tested Netty, natives that load, module names. */
class ResolvedClasspathTest {
    @Test
    void everyNettyModuleIsTheTestedVersion() {
        String netty = System.getProperty("expected.netty.version");
        String quic = System.getProperty("expected.quic.version");
        Map<String, String> found = new TreeMap<>();
        Version.identify().forEach((artifact, v) -> found.put(artifact, v.artifactVersion()));
        System.out.println("Netty on the class path: " + found);
        assertTrue(found.containsKey("netty-common") && found.containsKey("netty-transport"), found.toString());
        found.forEach((artifact, version) -> assertEquals(
                artifact.startsWith("netty-incubator-") ? quic : netty, version, artifact + " in " + found));
    }

    @Test
    void aClientStartsWithTheResolvedQuicNatives() {
        RustMQClient client = RustMQClient.create(ClientConfig.builder().brokers("127.0.0.1:9").build());
        try {
            assertFalse(client.isConnected());
        } finally {
            client.close();
        }
    }

    @Test
    void theClientJarNamesItsAutomaticModule() throws Exception {
        File jar = new File(RustMQClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(jar.isFile(), "rustmq-client comes from a jar: " + jar);
        try (JarFile f = new JarFile(jar)) {
            assertEquals("io.rustmq.client", f.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
    }
}
