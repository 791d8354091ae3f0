package org.jointregistry.tenant;

import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds the current transaction to the active organisation (see
 * {@link TenantSessionInterceptor}). Put it next to {@code @Transactional} on
 * every service that touches tenant tables.
 */
@InterceptorBinding
@Inherited
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface TenantSession {
}
