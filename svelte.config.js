import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { cspDirectives, readSecurityConfig } from './src/lib/embed/security-headers.js';

// The base path is set at build time so the same code can be hosted at the root of a domain
// or under a sub-path (for example GitHub Pages: BASE_PATH=/hearth npm run build).
const base = process.env.BASE_PATH ?? '';
if (base !== '' && (!base.startsWith('/') || base.endsWith('/'))) {
	throw new Error(`BASE_PATH must start with "/" and must not end with "/" (got "${base}")`);
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Separate workspaces let several builds run side by side (see tests/support/workspace.ts).
		outDir: process.env.HEARTH_WORKSPACE
			? `.svelte-kit-${process.env.HEARTH_WORKSPACE}`
			: '.svelte-kit',
		adapter: adapter({
			pages: process.env.BUILD_DIR ?? 'build',
			assets: process.env.BUILD_DIR ?? 'build',
			strict: true
		}),
		paths: { base, relative: false },
		prerender: { handleHttpError: 'fail' },
		// Each prerendered page gets a <meta> policy with the hash of its inline start-up script;
		// the servers add the same policy as a header, with frame-ancestors (see security-headers.js).
		csp: {
			mode: 'hash',
			directives: /** @type {import('@sveltejs/kit').CspDirectives} */ (
				cspDirectives(readSecurityConfig(process.env))
			)
		},
		// Registered by the app (src/lib/embed/pwa.svelte.ts), which also runs the update flow.
		serviceWorker: { register: false },
		typescript: {
			// Type-check the build scripts, the bench and test config with the same strict settings as the app.
			config(tsconfig) {
				tsconfig.include.push('../scripts/**/*.ts', '../bench/*.ts', '../playwright.config.ts');
			}
		}
	}
};

export default config;
