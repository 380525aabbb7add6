package jp.mamori.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import jp.mamori.server.ServerTest;
import jp.mamori.server.WebClient;
import org.junit.jupiter.api.Test;

class StaticFilesTest extends ServerTest {

    @Test
    void serves_the_style_sheet_scripts_and_htmx_without_signing_in() {
        WebClient web = newClient();
        var css = web.get("/css/mamori.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(css.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(c -> assertThat(c).contains("max-age"));
        assertThat(web.get("/js/mamori.js").statusCode()).isEqualTo(200);
        var htmx = web.get("/webjars/htmx.org/dist/htmx.min.js");
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.body()).contains("htmx");
        assertThat(web.get("/login").body()).contains("/css/mamori.css");
    }

    @Test
    void serves_no_other_class_path_file() {
        WebClient web = newClient();
        assertThat(web.get("/application.yml").body()).doesNotContain("data-dir");
        assertThat(web.get("/css/../application.yml").body()).doesNotContain("data-dir");
    }
}
