package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jp.mamori.server.WebClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** On a fresh data folder, in a server of its own: nobody is administrator yet. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirstRunSetupTest {

    @LocalServerPort
    int port;

    @Autowired
    FirstRunSetup setup;

    @DynamicPropertySource
    static void freshDataDir(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("mamori-setup-");
        registry.add("mamori.data-dir", dir::toString);
    }

    @Test
    void the_setup_token_creates_the_first_administrator_once() {
        String token = setup.issueToken();
        WebClient web = new WebClient("http://localhost:" + port);
        web.get("/setup");
        web.post(
                "/setup",
                Map.of(
                        "token",
                        "WRONG-TOKEN",
                        "loginId",
                        "admin1",
                        "displayName",
                        "管理 一郎",
                        "password",
                        "Kx7#mPq2!vR9z"));
        assertThat(web.last().body()).contains("セットアップトークンが正しくない");

        web.post("/setup", Map.of("token", token, "loginId", "admin1", "displayName", "管理 一郎", "password", "password"));
        assertThat(web.last().body()).contains("英字・数字・記号をすべて含めてください");

        web.post(
                "/setup",
                Map.of("token", token, "loginId", "admin1", "displayName", "管理 一郎", "password", "Kx7#mPq2!vR9z"));
        assertThat(web.path()).isEqualTo("/login?setup");

        WebClient again = new WebClient("http://localhost:" + port);
        again.get("/setup");
        assertThat(again.path()).isEqualTo("/login");
    }
}
