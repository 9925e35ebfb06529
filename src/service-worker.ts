/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Hearth's service worker: after one visit the site opens and runs downloaded models with no
 * network. It precaches the app (code, pages, ONNX Runtime's wasm, icons) and serves it
 * cache-first, except pages, which try the network first so a new version shows up. It also
 * adds the cross-origin isolation headers to what it serves, so a host that cannot set headers
 * still gets threads. Models are not its business: they live in IndexedDB, and their downloads
 * (with Range requests) go straight to the network; only the catalog list is kept for offline use.
 */
import { base, build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const SHELL_CACHE = `hearth-shell-${version}`;
/** Files fetched on demand (datasets, eval sets) are kept across versions and refreshed in the background. */
const RUNTIME_CACHE = 'hearth-runtime';

const onDemand = (path: string) =>
	path.startsWith(`${base}/datasets/`) || path.startsWith(`${base}/evals/`);
/** The catalog list: small, and pages need it offline when they are reached by a link. */
const isCatalog = (path: string) => path === `${base}/models/catalog.json`;
const neverCached = (path: string) =>
	(path.startsWith(`${base}/models/`) && !isCatalog(path)) || path.endsWith('/_headers');

const PRECACHE = [
	...build,
	...files.filter((path) => !onDemand(path) && !neverCached(path)),
	...prerendered,
	`${base}/`
];

/** What the page needs to be cross-origin isolated (SharedArrayBuffer, so WASM threads). */
const ISOLATION_HEADERS: Record<string, string> = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

sw.addEventListener('install', (event) => {
	event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll([...new Set(PRECACHE)])));
	// A first install takes over at once; an update waits until the user says reload.
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key.startsWith('hearth-shell-') && key !== SHELL_CACHE) await caches.delete(key);
			}
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	if ((event.data as { type?: string } | null)?.type === 'skip-waiting') void sw.skipWaiting();
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
	if (neverCached(url.pathname) || request.headers.has('range')) return;
	event.respondWith(respond(request, url).then(withIsolation));
});

async function respond(request: Request, url: URL): Promise<Response> {
	if (request.mode === 'navigate') return networkFirst(request);
	if (onDemand(url.pathname)) return staleWhileRevalidate(request);
	if (isCatalog(url.pathname)) return networkThenRuntimeCache(request);
	const cached = await caches.match(request, { cacheName: SHELL_CACHE });
	return cached ?? fetch(request);
}

async function networkFirst(request: Request): Promise<Response> {
	try {
		const response = await fetch(request);
		if (response.ok) {
			const cache = await caches.open(SHELL_CACHE);
			await cache.put(request, response.clone());
		}
		return response;
	} catch (offline) {
		// Pages are looked up without their query (/inspect?model=x is the /inspect page).
		const cache = await caches.open(SHELL_CACHE);
		const page =
			(await cache.match(request, { ignoreSearch: true })) ??
			(await cache.match(`${base}/`, { ignoreSearch: true }));
		if (page) return page;
		throw offline;
	}
}

/**
 * Fresh when online (a new model shows up at once), else the newest copy: the one precached
 * with this version, or a later one fetched since.
 */
async function networkThenRuntimeCache(request: Request): Promise<Response> {
	try {
		const response = await fetch(request);
		if (response.ok) await (await caches.open(RUNTIME_CACHE)).put(request, response.clone());
		return response;
	} catch (offline) {
		const cached =
			(await caches.match(request, { cacheName: RUNTIME_CACHE })) ??
			(await caches.match(request, { cacheName: SHELL_CACHE }));
		if (cached) return cached;
		throw offline;
	}
}

async function staleWhileRevalidate(request: Request): Promise<Response> {
	const cache = await caches.open(RUNTIME_CACHE);
	const cached = await cache.match(request);
	const fresh = fetch(request).then(async (response) => {
		if (response.ok) await cache.put(request, response.clone());
		return response;
	});
	if (cached) {
		fresh.catch(() => undefined); // offline: the cached copy is the answer
		return cached;
	}
	return fresh;
}

/** The same response with the isolation headers added (bodies are streamed, not copied). */
function withIsolation(response: Response): Response {
	if (response.type === 'opaque' || response.status === 0) return response;
	const headers = new Headers(response.headers);
	for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
	return new Response(response.body, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}
