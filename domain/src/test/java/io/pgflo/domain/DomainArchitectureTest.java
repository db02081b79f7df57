package io.pgflo.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "io.pgflo.domain", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainArchitectureTest {
    @ArchTest
    static final ArchRule domainDependsOnTheJdkOnly = noClasses()
            .that().resideInAPackage("io.pgflo.domain..")
            .should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.pgflo.domain..", "io.pgflo.sink.api..")
            .because("the domain is the SPI third parties compile against: JDK only");
}
