package io.pgflo.cli;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * One plugin jar's class loader. A plugin sees its own jar, the JDK, and only what it shares with the engine: the
 * sink API ({@code io.pgflo.sink.api}) and SLF4J, so that its logs go where ours go. Everything else of the engine is invisible to it, so no internal class becomes part of the contract by
 * accident, and a library the plugin forgot to bundle fails at once, naming the class and the jar, instead of running
 * on whatever version the engine happens to ship.
 */
final class PluginClassLoader extends URLClassLoader {
    private static final List<String> SHARED = List.of("io.pgflo.sink.api.", "org.slf4j.");

    private final String jarName;

    static {
        registerAsParallelCapable();
    }

    PluginClassLoader(String name, URL jar, ClassLoader parent) {
        super(name, new URL[] {jar}, parent);
        String path = jar.getPath();
        this.jarName = path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                if (isShared(name)) {
                    loaded = getParent().loadClass(name);
                } else {
                    try {
                        loaded = findClass(name);
                    } catch (ClassNotFoundException notInPlugin) {
                        loaded = fromJdk(name);
                    }
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> fromJdk(String name) throws ClassNotFoundException {
        try {
            return ClassLoader.getPlatformClassLoader().loadClass(name);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException(name + " is in neither plugin " + jarName + " nor the JDK: a plugin sees "
                    + "its own jar, io.pgflo.sink.api, SLF4J and the JDK only; bundle the library that "
                    + "holds it into the plugin's jar", e);
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    /**
     * The plugin's own resources first. Service files come from the plugin only: otherwise ServiceLoader would find
     * the engine's built-in sinks again through the parent, as Kafka Connect learned.
     */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
        if (!name.startsWith("META-INF/services/")) {
            urls.addAll(Collections.list(getParent().getResources(name)));
        }
        return Collections.enumeration(urls);
    }

    private static boolean isShared(String className) {
        for (String prefix : SHARED) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
