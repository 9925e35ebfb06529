import { sveltekit } from '@sveltejs/kit/vite';
import { defaultClientConditions, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import {
	headersFile,
	readSecurityConfig,
	securityHeaders
} from './src/lib/embed/security-headers.js';

const security = readSecurityConfig(process.env);
const basePath = process.env.BASE_PATH ?? '';

/**
 * The site's headers (src/lib/embed/security-headers.js): cross-origin isolation, so WASM gets
 * threads, and the Content-Security-Policy. `vite preview` under SvelteKit ignores
 * `preview.headers`, so middleware sets them on both the dev and the preview server; a build
 * writes the same headers into `_headers` for Netlify and Cloudflare Pages.
 */
function securityHeadersPlugin(): Plugin {
	const setHeaders = (
		req: { url?: string },
		res: { setHeader(name: string, value: string): void },
		next: () => void
	) => {
		const pathname = new URL(req.url ?? '/', 'http://x').pathname;
		for (const [name, value] of Object.entries(securityHeaders(pathname, security, basePath))) {
			res.setHeader(name, value);
		}
		next();
	};
	return {
		name: 'hearth:security-headers',
		configureServer: (server) => void server.middlewares.use(setHeaders),
		configurePreviewServer: (server) => void server.middlewares.use(setHeaders),
		generateBundle() {
			if (this.environment.name !== 'client') return;
			this.emitFile({
				type: 'asset',
				fileName: '_headers',
				source: headersFile(security, basePath)
			});
		}
	};
}

export default defineConfig({
	plugins: [securityHeadersPlugin(), sveltekit()],
	// Browser code reads the allow-lists through src/lib/embed/site-security.ts.
	define: { __HEARTH_SECURITY__: JSON.stringify(security) },
	resolve: {
		// Without this condition onnxruntime-web's default export inlines a second 27 MB copy of
		// the wasm binary; the site serves the one copy from /ort/ instead.
		conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions]
	},
	worker: { format: 'es' },
	cacheDir: process.env.HEARTH_WORKSPACE
		? `node_modules/.vite-${process.env.HEARTH_WORKSPACE}`
		: 'node_modules/.vite',
	build: { chunkSizeWarningLimit: 1024 },
	test: {
		include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
		environment: 'node',
		testTimeout: 60_000
	}
});
