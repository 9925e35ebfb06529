/** Set by vite.config.ts from the build's environment (see security-headers.js). */
declare const __HEARTH_SECURITY__: import('./security-headers.js').SecurityConfig;
