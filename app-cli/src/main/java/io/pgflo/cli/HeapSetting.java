package io.pgflo.cli;

import java.util.List;

/**
 * The heap's limit and the JVM option that set it, as the out-of-memory line names them ({@code heap 512 MB,
 * -Xmx512m}), and a larger {@code -Xmx} to suggest.
 *
 * @param maxBytes the heap's limit ({@code MaxHeapSize})
 * @param option the option that set it, or null when the JVM chose it or it is not known
 */
record HeapSetting(long maxBytes, String option) {
    private static final long MB = 1L << 20;
    /** How much larger the suggested heap is: a value that did not fit may need far more than twice the heap. */
    private static final int RAISE = 4;

    /**
     * @param jvmArguments the JVM's options, in the order given
     * @param maxBytes the heap's limit
     */
    static HeapSetting of(List<String> jvmArguments, long maxBytes) {
        // The JVM takes the last of each, and a size given outright over a share of the machine's memory.
        String size = null;
        String share = null;
        for (String argument : jvmArguments) {
            if (argument.startsWith("-Xmx") || argument.startsWith("-XX:MaxHeapSize=")) {
                size = argument;
            } else if (argument.startsWith("-XX:MaxRAMPercentage=") || argument.startsWith("-XX:MaxRAMFraction=")
                    || argument.startsWith("-XX:MaxRAM=")) {
                share = argument;
            }
        }
        return new HeapSetting(maxBytes, size != null ? size : share != null ? share : "the JVM's default");
    }

    /** {@code heap 512 MB, -Xmx512m}, or without the option when it is not known. */
    String describe() {
        StringBuilder text = new StringBuilder("heap ").append(Math.round(maxBytes / (double) MB)).append(" MB");
        if (option != null) {
            text.append(", ").append(option);
        }
        return text.toString();
    }

    /** {@code -Xmx2g} for a 512 MB heap: four times the limit, rounded up to whole gigabytes from one on. */
    String larger() {
        long mb = (RAISE * maxBytes + MB - 1) / MB;
        return mb < 1024 ? "-Xmx" + mb + "m" : "-Xmx" + (mb + 1023) / 1024 + "g";
    }
}
