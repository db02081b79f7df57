package io.pgflo.cli;

/** The {@code pg_flo} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        SaltedPasswordCache.install();
        int status = new PgFloCommandLine(System.getenv(), System.out, System.err).execute(args);
        System.exit(status);
    }
}
