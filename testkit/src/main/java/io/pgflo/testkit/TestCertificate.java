package io.pgflo.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for one DNS name and its private key, as PEM files: what {@link TestPostgres#enableTls}
 * serves, and what a client names as its root certificate to trust it.
 *
 * <p>Made with the JDK's own {@code keytool}, so tests need nothing beyond the JDK. Each keytool is a JVM start, half a
 * second to two seconds on a busy machine, so the certificates a test needs are made at once.
 */
public record TestCertificate(Path certificate, Path privateKey) {
    private static final String STORE_PASSWORD = "changeit";

    public TestCertificate {
        requireNonNull(certificate, "certificate is null");
        requireNonNull(privateKey, "privateKey is null");
    }

    /**
     * Writes {@code <name>.crt} and {@code <name>.key} into {@code directory} for each name, each certificate for
     * {@code dnsName} alone and signed by its own key, so that none vouches for another. keytool runs for all of them
     * at once.
     */
    public static List<TestCertificate> selfSigned(Path directory, String dnsName, String... names) {
        List<Process> processes = new ArrayList<>();
        for (String name : names) {
            processes.add(keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + dnsName, "-ext", "SAN=dns:" + dnsName, "-validity", "2",
                    "-keystore", directory.resolve(name + ".p12").toString(), "-storetype", "PKCS12",
                    "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD));
        }
        List<TestCertificate> certificates = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            awaitKeytool(processes.get(i));
            certificates.add(export(directory, names[i]));
        }
        return certificates;
    }

    private static TestCertificate export(Path directory, String name) {
        Path store = directory.resolve(name + ".p12");
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, STORE_PASSWORD.toCharArray());
            Key key = keys.getKey(name, STORE_PASSWORD.toCharArray());
            Path certificate = directory.resolve(name + ".crt");
            Path privateKey = directory.resolve(name + ".key");
            Files.writeString(certificate, pem("CERTIFICATE", keys.getCertificate(name).getEncoded()),
                    StandardCharsets.US_ASCII);
            // PKCS #8, which both OpenSSL (the server) and the JDK read.
            Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            FileTrees.setMode(privateKey, 0600);
            return new TestCertificate(certificate, privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test certificate " + name + " to " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store keytool wrote: " + store, e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static Process keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    private static void awaitKeytool(Process process) {
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + process.info().commandLine().orElse("keytool")
                        + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keytool's output", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
