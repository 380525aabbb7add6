package jp.mamori.server;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Mamori (守り): the security platform for medical information systems. One Spring Modulith
 * application; each capability is a top-level package below this one.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class MamoriApplication {

    public static void main(String[] args) {
        SpringApplication.run(MamoriApplication.class, translateSwitches(args));
    }

    /** {@code --demo} is easier to type than {@code --mamori.demo=true}. */
    static String[] translateSwitches(String[] args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            out.add("--demo".equals(arg) ? "--mamori.demo=true" : arg);
        }
        return out.toArray(String[]::new);
    }
}
