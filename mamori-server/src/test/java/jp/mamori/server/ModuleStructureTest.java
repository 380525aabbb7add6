package jp.mamori.server;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The capabilities talk only through their published APIs and events; the docs are drawn from the code. */
class ModuleStructureTest {

    private final ApplicationModules modules = ApplicationModules.of(MamoriApplication.class);

    @Test
    void modules_only_use_each_others_published_api() {
        modules.verify();
    }

    @Test
    void writes_the_module_documentation() {
        new Documenter(modules)
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
