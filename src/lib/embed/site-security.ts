/**
 * The security settings this build was made with (HEARTH_WIDGET_ORIGINS, HEARTH_MODEL_HOSTS),
 * baked in by vite.config.ts, for code that runs in the browser: the widget's origin check and
 * the service worker's headers.
 */
import { securityHeaders, type SecurityConfig } from './security-headers.js';

export const SITE_SECURITY: SecurityConfig = __HEARTH_SECURITY__;

/** The headers a response for `pathname` needs; `base` is the site's base path. */
export function siteSecurityHeaders(pathname: string, base: string): Record<string, string> {
	return securityHeaders(pathname, SITE_SECURITY, base);
}
