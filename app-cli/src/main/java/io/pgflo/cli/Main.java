package io.pgflo.cli;

/** The {@code pg_flo} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        OutOfMemoryExit.install(); // first: an OutOfMemoryError from here on ends in its line and status 3
        configureGuice();
        StartupWarmUp.start();
        System.exit(execute(args));
    }

    private static int execute(String[] args) {
        try {
            return new PgFloCommandLine(System.getenv(), System.out, System.err).execute(args);
        } catch (OutOfMemoryError e) {
            OutOfMemoryExit.exit();
            throw e; // not reached: exit() halts
        }
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
