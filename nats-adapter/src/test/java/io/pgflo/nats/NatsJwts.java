package io.pgflo.nats;

import io.nats.client.NKey;
import io.nats.client.support.JsonSerializable;
import io.nats.client.support.JwtUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Decentralized NATS authentication for tests, made with jnats alone: an operator, an account with JetStream, and
 * users with credentials files, as {@code nsc} would make them. {@link JwtUtils#issueJWT} signs any claim; the
 * operator and account claims are written here, the user claims are jnats' own.
 */
final class NatsJwts {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NKey account;
    private final String operatorJwt;
    private final String accountJwt;
    /** The system account, which JetStream needs in operator mode. */
    private final NKey system;
    private final String systemJwt;

    private NatsJwts(NKey account, String operatorJwt, String accountJwt, NKey system, String systemJwt) {
        this.account = account;
        this.operatorJwt = operatorJwt;
        this.accountJwt = accountJwt;
        this.system = system;
        this.systemJwt = systemJwt;
    }

    /** A new operator and one account under it, its JetStream unlimited. */
    static NatsJwts create() throws IOException, GeneralSecurityException {
        NKey operator = NKey.createOperator(RANDOM);
        NKey account = NKey.createAccount(RANDOM);
        String operatorKey = new String(operator.getPublicKey());
        String accountKey = new String(account.getPublicKey());
        String operatorJwt = JwtUtils.issueJWT(operator, operatorKey, "pgflo-test-operator", null,
                JwtUtils.currentTimeSeconds(), operatorKey, null, claim("{\"type\":\"operator\",\"version\":2}"));
        String accountJwt = JwtUtils.issueJWT(operator, accountKey, "pgflo", null, JwtUtils.currentTimeSeconds(),
                operatorKey, null, claim("{\"type\":\"account\",\"version\":2,\"limits\":{\"subs\":-1,\"data\":-1,"
                        + "\"payload\":-1,\"imports\":-1,\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1,"
                        + "\"mem_storage\":-1,\"disk_storage\":-1,\"streams\":-1,\"consumer\":-1}}"));
        NKey system = NKey.createAccount(RANDOM);
        String systemJwt = JwtUtils.issueJWT(operator, new String(system.getPublicKey()), "SYS", null,
                JwtUtils.currentTimeSeconds(), operatorKey, null, claim("{\"type\":\"account\",\"version\":2}"));
        return new NatsJwts(account, operatorJwt, accountJwt, system, systemJwt);
    }

    private static JsonSerializable claim(String json) {
        return () -> json;
    }

    /** A nats-server configuration that trusts the operator and knows the account (the MEMORY resolver). */
    Path serverConfig(Path dir) throws IOException, GeneralSecurityException {
        return Files.writeString(dir.resolve("operator.conf"), "operator: " + operatorJwt + "\n"
                + "system_account: " + new String(system.getPublicKey()) + "\n"
                + "resolver: MEMORY\n"
                + "resolver_preload: {\n  " + new String(account.getPublicKey()) + ": " + accountJwt + "\n  "
                + new String(system.getPublicKey()) + ": " + systemJwt + "\n}\n");
    }

    /** A credentials file ({@code --nats-creds}) of a new user of the account. */
    Path userCredentials(Path dir, String name) throws IOException, GeneralSecurityException {
        return credentials(dir, name, account);
    }

    /** A credentials file of a user signed by an account the server does not know. */
    Path strangerCredentials(Path dir, String name) throws IOException, GeneralSecurityException {
        return credentials(dir, name, NKey.createAccount(RANDOM));
    }

    private static Path credentials(Path dir, String name, NKey signer) throws IOException, GeneralSecurityException {
        NKey user = NKey.createUser(RANDOM);
        String jwt = JwtUtils.issueUserJWT(signer, new String(signer.getPublicKey()), new String(user.getPublicKey()),
                name);
        Path file = dir.resolve(name + ".creds");
        Files.writeString(file, String.format(JwtUtils.NATS_USER_JWT_FORMAT, jwt, new String(user.getSeed())));
        return file;
    }
}
