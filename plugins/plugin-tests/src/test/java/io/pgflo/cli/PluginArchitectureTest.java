package io.pgflo.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** Plugins, and the built-in sinks, see pg_flo only through the SPI. */
class PluginArchitectureTest {

    @Test
    void theExamplePluginUsesOnlyTheSpiOfPgFlo() throws Exception {
        JavaClasses plugin;
        try (JarFile jar = new JarFile(PluginJars.EXAMPLE.toFile())) {
            plugin = new ClassFileImporter().importJar(jar);
        }
        classes().that().resideInAPackage("io.pgflo.example..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "io.pgflo.sink.api..", "io.pgflo.example..", "com.fasterxml.jackson.core..")
                .check(plugin);
    }

    @Test
    void builtInSinksUseOnlyTheSpiAndTheSharedEventEncoding() {
        JavaClasses sinks = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pgflo.sink");
        classes().that().resideInAPackage("io.pgflo.sink..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("io.pgflo.wal..", "io.pgflo.cli..", "io.pgflo.testkit..")
                .check(sinks);
    }
}
