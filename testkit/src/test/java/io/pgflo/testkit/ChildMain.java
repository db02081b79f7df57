package io.pgflo.testkit;

/** Run by {@link JavaProcessTest} in a child JVM. */
public final class ChildMain {
    private ChildMain() {}

    public static void main(String[] args) throws InterruptedException {
        switch (args[0]) {
            case "exit":
                System.out.println("out " + System.getenv("CHILD_GREETING"));
                System.err.println("err line");
                System.exit(Integer.parseInt(args[1]));
                break;
            case "wait":
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
                System.out.println("ready");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }
}
