import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

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
		typescript: {
			// Type-check the build scripts and test config with the same strict settings as the app.
			config(tsconfig) {
				tsconfig.include.push('../scripts/**/*.ts', '../playwright.config.ts');
			}
		}
	}
};

export default config;
