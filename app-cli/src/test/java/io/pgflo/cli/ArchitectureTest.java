package io.pgflo.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.INTERFACES;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.google.inject.AbstractModule;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.pgflo.domain.ChangeSource;
import io.pgflo.sink.api.Sink;

/** The rules of ARCHITECTURE.md, checked over every module's production classes. */
@AnalyzeClasses(packages = "io.pgflo", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule theSinkApiDependsOnTheJdkOnly = noClasses()
            .that().resideInAPackage("io.pgflo.sink.api..")
            .should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.pgflo.sink.api..")
            .because("the sink API is what plugins compile against, and all a plugin's class loader shares with us");

    @ArchTest
    static final ArchRule domainDependsOnTheSinkApiAndTheJdkOnly = noClasses()
            .that().resideInAPackage("io.pgflo.domain..")
            .should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.pgflo.domain..", "io.pgflo.sink.api..")
            .because("the engine stays pure: adapters come to it through ports");

    @ArchTest
    static final ArchRule sinksDoNotDependOnEachOther = slices()
            .matching("io.pgflo.sink.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(JavaClass.Predicates.resideInAnyPackage("io.pgflo.sink.."),
                    JavaClass.Predicates.resideInAPackage("io.pgflo.sink.api.."))
            .because("each sink stands alone; the sink API is the one package they share");

    @ArchTest
    static final ArchRule sinksDoNotDependOnTheSourceOrTheCli = noClasses()
            .that().resideInAPackage("io.pgflo.sink..")
            .should().dependOnClassesThat().resideInAnyPackage("io.pgflo.wal..", "io.pgflo.cli..", "io.pgflo.testkit..");

    @ArchTest
    static final ArchRule theNatsAdapterDependsOnNoSinkNorTheWalSource = noClasses()
            .that().resideInAPackage("io.pgflo.nats..")
            .should().dependOnClassesThat(resideInAnyPackage("io.pgflo.sink..", "io.pgflo.wal..", "io.pgflo.cli..",
                    "io.pgflo.testkit..").and(not(resideInAnyPackage("io.pgflo.sink.api.."))))
            .because("a worker feeds any sink through the engine's ports, and the replicator any source");

    @ArchTest
    static final ArchRule theSourceDoesNotDependOnSinksOrTheCli = noClasses()
            .that().resideInAPackage("io.pgflo.wal..")
            .should().dependOnClassesThat(resideInAnyPackage("io.pgflo.sink..", "io.pgflo.cli..", "io.pgflo.json..",
                    "io.pgflo.nats..")
                    .and(not(resideInAnyPackage("io.pgflo.sink.api.."))));

    @ArchTest
    static final ArchRule theRulesDependOnTheDomainAlone = noClasses()
            .that().resideInAPackage("io.pgflo.rules..")
            .should().dependOnClassesThat(resideInAnyPackage("io.pgflo.wal..", "io.pgflo.sink..", "io.pgflo.cli..",
                    "io.pgflo.json..", "io.pgflo.metrics..").and(not(resideInAnyPackage("io.pgflo.sink.api.."))))
            .because("a rule sees changes as the engine has them; the source's catalog is handed to it as data");

    @ArchTest
    static final ArchRule onlyTheCliKnowsGuice = noClasses()
            .that().resideOutsideOfPackage("io.pgflo.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
            .because("adapters have plain constructors, so other teams can use them without our wiring");

    @ArchTest
    static final ArchRule onlyTheCliKnowsJCommanderParsing = noClasses()
            .that().resideOutsideOfPackage("io.pgflo.cli..")
            .should().dependOnClassesThat().haveFullyQualifiedName("com.beust.jcommander.JCommander");

    @ArchTest
    static final ArchRule onlyTheGuiceModulesKnowWhichAdapterServesAPort = noClasses()
            .that().resideInAPackage("io.pgflo.cli..")
            .and().areNotAssignableTo(AbstractModule.class)
            .should().dependOnClassesThat(implementAPortInAnAdapter())
            .because("the rest of the command works through the ports; a cast to an adapter is a contract the port lacks");

    @ArchTest
    static final ArchRule routingDependsOnTheDomainAndJacksonOnly = noClasses()
            .that().resideInAPackage("io.pgflo.routing..")
            .should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.pgflo.routing..", "io.pgflo.domain..",
                    "io.pgflo.sink.api..", "com.fasterxml.jackson..");

    @ArchTest
    static final ArchRule sinksAndTheSourceLearnRoutesFromTheDomainOnly = noClasses()
            .that().resideInAnyPackage("io.pgflo.sink..", "io.pgflo.wal..")
            .should().dependOnClassesThat().resideInAPackage("io.pgflo.routing..")
            .because("a built-in sink gets the routes as the domain's TableRoutes capability");

    @ArchTest
    static final ArchRule adaptersDoNotDependOnTheCli = noClasses()
            .that().resideOutsideOfPackage("io.pgflo.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.pgflo.cli..");

    /** Classes, not interfaces: a port may itself live beside its adapters, and depending on it is the point. */
    private static DescribedPredicate<JavaClass> implementAPortInAnAdapter() {
        return assignableTo(ChangeSource.class).or(assignableTo(Sink.class))
                .and(resideInAnyPackage("io.pgflo.wal..", "io.pgflo.sink..", "io.pgflo.nats.."))
                .and(not(INTERFACES))
                .as("implement ChangeSource or Sink in an adapter module");
    }
}
