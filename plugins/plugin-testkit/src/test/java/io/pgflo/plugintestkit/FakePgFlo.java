package io.pgflo.plugintestkit;

import java.io.File;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stands in for pg_flo.jar in the kit's own tests, packed alone into a jar by {@link FakePgFloJar}: it shows what a run
 * hands it, and behaves as each test needs. Arguments: {@code --plugins-dir DIR MODE ...}.
 */
public final class FakePgFlo {
    public static void main(String[] args) throws Exception {
        switch (args[2]) {
            case "echo" -> {
                for (String arg : args) {
                    System.out.println("arg " + arg);
                }
                for (Map.Entry<String, String> variable : new TreeMap<>(System.getenv()).entrySet()) {
                    if (variable.getKey().startsWith("PGFLO_")) {
                        System.out.println("env " + variable.getKey() + "=" + variable.getValue());
                    }
                }
                String[] plugins = new File(args[1]).list();
                Arrays.sort(plugins);
                for (String plugin : plugins) {
                    System.out.println("plugin " + plugin);
                }
            }
            case "fail" -> {
                System.err.println("pg_flo: the sink failed");
                System.exit(1);
            }
            case "wait" -> {
                System.err.println("streaming");
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> throw new IllegalArgumentException(args[2]);
        }
    }
}
