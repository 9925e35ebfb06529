import { sveltekit } from '@sveltejs/kit/vite';
import { defaultClientConditions, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Multi-threaded WASM needs SharedArrayBuffer, which browsers only give to cross-origin isolated
 * pages. `vite preview` under SvelteKit ignores `preview.headers`, so the headers are set by
 * middleware on both the dev and the preview server.
 */
function crossOriginIsolation(): Plugin {
	const setHeaders = (
		_req: unknown,
		res: { setHeader(name: string, value: string): void },
		next: () => void
	) => {
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
		next();
	};
	return {
		name: 'hearth:cross-origin-isolation',
		configureServer: (server) => void server.middlewares.use(setHeaders),
		configurePreviewServer: (server) => void server.middlewares.use(setHeaders)
	};
}

export default defineConfig({
	plugins: [crossOriginIsolation(), sveltekit()],
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
