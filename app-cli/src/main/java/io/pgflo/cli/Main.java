package io.pgflo.cli;

/** The {@code pg_flo} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        configureGuice();
        StartupWarmUp.start();
        int status = new PgFloCommandLine(System.getenv(), System.out, System.err).execute(args);
        System.exit(status);
    }

    /**
     * Guice without bytecode generation: pg_flo uses no method interception, and the classes Guice would otherwise
     * generate at every start (with its own copy of ASM) are ones no class-data archive can hold.
     */
    static void configureGuice() {
        if (System.getProperty("guice_bytecode_gen_option") == null) {
            System.setProperty("guice_bytecode_gen_option", "DISABLED");
        }
    }
}
