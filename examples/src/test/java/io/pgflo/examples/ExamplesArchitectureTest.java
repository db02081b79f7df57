package io.pgflo.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The examples use the adapters as another team would: none of the command line's wiring. */
@AnalyzeClasses(packages = "io.pgflo.examples",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ExamplesArchitectureTest {

    @ArchTest
    static final ArchRule examplesDoNotUseTheCli = noClasses()
            .that().resideInAPackage("io.pgflo.examples..")
            .should().dependOnClassesThat().resideInAnyPackage("io.pgflo.cli..")
            .because("the adapters must work without app-cli");

    @ArchTest
    static final ArchRule examplesDoNotUseGuice = noClasses()
            .that().resideInAPackage("io.pgflo.examples..")
            .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
            .because("the adapters have plain constructors and need no injector");

    @ArchTest
    static final ArchRule examplesDoNotUseJCommander = noClasses()
            .that().resideInAPackage("io.pgflo.examples..")
            .should().dependOnClassesThat().resideInAnyPackage("com.beust.jcommander..")
            .because("settings come from the caller; the sinks' option classes are for the command line");
}
