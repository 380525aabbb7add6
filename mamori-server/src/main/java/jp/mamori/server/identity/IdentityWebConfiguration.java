package jp.mamori.server.identity;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class IdentityWebConfiguration implements WebMvcConfigurer {

    private final TerminalActivityInterceptor terminalActivity;

    IdentityWebConfiguration(TerminalActivityInterceptor terminalActivity) {
        this.terminalActivity = terminalActivity;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(terminalActivity).excludePathPatterns("/css/**", "/js/**", "/webjars/**");
    }
}
