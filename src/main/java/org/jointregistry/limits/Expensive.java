package org.jointregistry.limits;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a request's expensive work (a scan over every partner's figures, a
 * report, an export): it is admitted only within the caps of
 * {@link LimitsConfig.Expensive} ({@link AdmissionInterceptor}), and its
 * transaction's statements are bounded by the statement timeout
 * ({@link StatementTimeoutInterceptor}).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface Expensive {
}
