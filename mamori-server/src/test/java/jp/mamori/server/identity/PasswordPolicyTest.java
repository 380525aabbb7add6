package jp.mamori.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();
    private final PasswordPolicy.Subject single =
            new PasswordPolicy.Subject("yamada.h", "山田 花子", LocalDate.of(1985, 4, 12), false);
    private final PasswordPolicy.Subject withSecond =
            new PasswordPolicy.Subject("yamada.h", "山田 花子", LocalDate.of(1985, 4, 12), true);

    @Test
    void needs_thirteen_characters_without_a_second_factor() {
        assertThat(policy.violations("Kx7#mPq2!vR9", single)).contains("password.rule.length13");
        assertThat(policy.violations("Kx7#mPq2!vR9z", single)).isEmpty();
    }

    @Test
    void needs_eight_characters_with_a_second_factor() {
        assertThat(policy.violations("Kx7#mPq", withSecond)).contains("password.rule.length8");
        assertThat(policy.violations("Kx7#mPq2", withSecond)).isEmpty();
    }

    @Test
    void needs_letters_digits_and_symbols() {
        assertThat(policy.violations("Kxq7mPq2vR9zw", single)).contains("password.rule.mix");
        assertThat(policy.violations("Kxq#mPq!vR&zw", single)).contains("password.rule.mix");
        assertThat(policy.violations("7#82!39&4%1^0", single)).contains("password.rule.mix");
    }

    @Test
    void refuses_common_passwords_even_decorated() {
        assertThat(policy.violations("P@ssw0rd2024!", single)).contains("password.rule.guessable");
        assertThat(policy.violations("!!Sakura12345#", single)).contains("password.rule.guessable");
        assertThat(policy.violations("Hospital#2025x", single)).contains("password.rule.guessable");
    }

    @Test
    void refuses_the_users_id_name_and_birthday() {
        assertThat(policy.violations("Yamada.h#2025!", single)).contains("password.rule.guessable");
        assertThat(policy.violations("Xq!19850412zzk", single)).contains("password.rule.guessable");
        assertThat(policy.violations("Qz#k0412mmW!tp", single)).contains("password.rule.guessable");
    }

    @Test
    void refuses_runs_and_repeats() {
        assertThat(policy.violations("Abcdefghij1!x", single)).contains("password.rule.guessable");
        assertThat(policy.violations("aaaaaaaaaa1!A", single)).contains("password.rule.guessable");
        assertThat(policy.violations("!Qwertyuiop12", single)).contains("password.rule.guessable");
    }
}
