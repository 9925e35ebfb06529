/**
 * The site's security headers, in one place: the Content-Security-Policy, cross-origin isolation
 * (COOP/COEP), who may frame the widget, and what other origins may load from /embed/. Used by
 * the Vite dev and preview servers, the test file server, the service worker, the generated
 * `_headers` file for static hosts, and SvelteKit's per-page <meta> policy (svelte.config.js).
 *
 * Plain JavaScript typed with JSDoc (svelte-check checks it) because svelte.config.js imports it
 * and Node loads that file with no TypeScript step.
 *
 * Build-time settings (environment variables):
 * - HEARTH_WIDGET_ORIGINS: origins allowed to embed the widget and talk to it, separated by
 *   spaces or commas ("https://a.example https://*.b.example http://127.0.0.1:*"), or "*" for
 *   an open demo. Empty: only Hearth's own origin.
 * - HEARTH_MODEL_HOSTS: origins the site may download models from besides itself (user models
 *   added by URL or repo id), same syntax. Empty: the site's own models only.
 */

/**
 * @typedef {object} SecurityConfig
 * @property {'*' | string[]} widgetOrigins Origins (CSP host sources) that may embed the widget.
 * @property {string[]} modelHosts Origins the pages may fetch models from, besides their own.
 */

/** @typedef {Record<string, string[]>} Directives */

/** scheme://host[:port], where host may start with "*." and port may be "*". */
const SOURCE =
	/^(https?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?$/;

/** Keywords CSP wants in single quotes. */
const KEYWORDS = new Set([
	'self',
	'none',
	'unsafe-inline',
	'unsafe-eval',
	'wasm-unsafe-eval',
	'strict-dynamic',
	'unsafe-hashes'
]);

/**
 * A list of origins from a setting, checked and normalised (lower case, no trailing slash).
 * @param {string} value
 * @param {string} name the setting's name, for the error message
 * @returns {string[]}
 */
export function parseOriginList(value, name) {
	const entries = value
		.split(/[\s,]+/)
		.map((entry) => entry.trim().toLowerCase().replace(/\/$/, ''))
		.filter((entry) => entry !== '');
	for (const entry of entries) {
		if (!SOURCE.test(entry)) {
			throw new Error(
				`${name}: "${entry}" is not an origin. Use forms like https://example.org, ` +
					'https://*.example.org or http://127.0.0.1:* (no path), separated by spaces or commas.'
			);
		}
	}
	return [...new Set(entries)];
}

/**
 * The settings from the build's environment.
 * @param {Record<string, string | undefined>} env
 * @returns {SecurityConfig}
 */
export function readSecurityConfig(env) {
	const widget = (env.HEARTH_WIDGET_ORIGINS ?? '').trim();
	return {
		widgetOrigins: widget === '*' ? '*' : parseOriginList(widget, 'HEARTH_WIDGET_ORIGINS'),
		modelHosts: parseOriginList(env.HEARTH_MODEL_HOSTS ?? '', 'HEARTH_MODEL_HOSTS')
	};
}

/**
 * What every page may do, as SvelteKit's `kit.csp.directives` takes it (keywords unquoted).
 * SvelteKit adds the SHA-256 of each page's inline start-up script to script-src in the page's
 * <meta> policy, so no other inline script runs.
 * @param {SecurityConfig} config
 * @returns {Directives}
 */
export function cspDirectives(config) {
	return {
		'default-src': ['self'],
		// ONNX Runtime and hash-wasm compile WebAssembly; nothing evaluates JavaScript strings.
		'script-src': ['self', 'wasm-unsafe-eval'],
		// Svelte sets style attributes (bar widths, positions) in the prerendered HTML.
		'style-src': ['self', 'unsafe-inline'],
		// Pictures the user picks or pastes are shown from blob: and data: URLs.
		'img-src': ['self', 'data:', 'blob:'],
		// Speech segments are played from blob: URLs.
		'media-src': ['self', 'blob:'],
		'font-src': ['self'],
		'connect-src': ['self', ...config.modelHosts],
		'worker-src': ['self'],
		// The Docs page shows the widget itself.
		'frame-src': ['self'],
		'manifest-src': ['self'],
		'object-src': ['none'],
		'base-uri': ['self'],
		'form-action': ['self']
	};
}

/**
 * Who may frame the widget: Hearth itself and the allow-list.
 * @param {SecurityConfig} config
 * @returns {string[]}
 */
export function frameAncestors(config) {
	return config.widgetOrigins === '*' ? ['*'] : ['self', ...config.widgetOrigins];
}

/**
 * A policy as a header value.
 * @param {Directives} directives
 * @returns {string}
 */
export function serializePolicy(directives) {
	return Object.entries(directives)
		.map(([name, values]) =>
			[name, ...values.map((value) => (KEYWORDS.has(value) ? `'${value}'` : value))].join(' ')
		)
		.join('; ');
}

/**
 * The policy sent as a header. A static host sends one header to every page, so it cannot carry
 * each page's script hashes: it allows inline scripts, and the page's own <meta> policy (which
 * the browser enforces as well) narrows them to the hashed start-up script.
 * @param {SecurityConfig} config
 * @param {boolean} widget
 * @returns {string}
 */
export function headerPolicy(config, widget) {
	const directives = cspDirectives(config);
	directives['script-src'] = [...(directives['script-src'] ?? []), 'unsafe-inline'];
	if (widget) directives['frame-ancestors'] = frameAncestors(config);
	return serializePolicy(directives);
}

/**
 * The widget's page, with or without ".html", under the base path.
 * @param {string} pathname
 * @param {string} base
 */
export function isWidgetPath(pathname, base = '') {
	return [`${base}/widget`, `${base}/widget.html`, `${base}/widget/`].includes(pathname);
}

/**
 * The JS client and the example host page, which other origins load.
 * @param {string} pathname
 * @param {string} base
 */
export function isEmbedPath(pathname, base = '') {
	return pathname.startsWith(`${base}/embed/`);
}

/**
 * Every header Hearth's responses need, for one path. Pages other than the widget may only be
 * framed by Hearth itself (X-Frame-Options, which browsers ignore where the CSP has
 * frame-ancestors, as the widget's does). The widget and /embed/ are loaded by other origins,
 * some of them cross-origin isolated, so they carry Cross-Origin-Resource-Policy: cross-origin.
 * @param {string} pathname
 * @param {SecurityConfig} config
 * @param {string} [base] the site's base path ("" or "/hearth")
 * @returns {Record<string, string>}
 */
export function securityHeaders(pathname, config, base = '') {
	const widget = isWidgetPath(pathname, base);
	/** @type {Record<string, string>} */
	const headers = {
		'Cross-Origin-Opener-Policy': 'same-origin',
		'Cross-Origin-Embedder-Policy': 'require-corp',
		'X-Frame-Options': 'SAMEORIGIN',
		'Content-Security-Policy': headerPolicy(config, widget)
	};
	if (widget) headers['Cross-Origin-Resource-Policy'] = 'cross-origin';
	if (isEmbedPath(pathname, base)) {
		headers['Cross-Origin-Resource-Policy'] = 'cross-origin';
		headers['Access-Control-Allow-Origin'] = '*';
	}
	return headers;
}

/**
 * The `_headers` file Netlify and Cloudflare Pages read, giving each path what
 * `securityHeaders` gives it. The two hosts merge rules differently when several match a path
 * (Netlify: the later rule's value of a header wins; Cloudflare: values are joined with commas,
 * which for a CSP means two policies, both enforced), so no header is set by two rules unless
 * both outcomes are right: the widget's policy is the site's plus frame-ancestors.
 * @param {SecurityConfig} config
 * @param {string} [base]
 * @returns {string}
 */
export function headersFile(config, base = '') {
	const rule = (/** @type {string} */ path, /** @type {Record<string, string>} */ headers) =>
		[path, ...Object.entries(headers).map(([name, value]) => `  ${name}: ${value}`)].join('\n');
	const widget = {
		'Cross-Origin-Resource-Policy': 'cross-origin',
		'Content-Security-Policy': headerPolicy(config, true)
	};
	return [
		'# Generated by the build from src/lib/embed/security-headers.js: edit that, not this file.',
		'# Netlify and Cloudflare Pages read it. Other hosts: send the same headers.',
		rule(`${base}/*`, {
			'Cross-Origin-Opener-Policy': 'same-origin',
			'Cross-Origin-Embedder-Policy': 'require-corp',
			'X-Frame-Options': 'SAMEORIGIN',
			'Content-Security-Policy': headerPolicy(config, false)
		}),
		rule(`${base}/widget`, widget),
		rule(`${base}/widget.html`, widget),
		rule(`${base}/embed/*`, {
			'Cross-Origin-Resource-Policy': 'cross-origin',
			'Access-Control-Allow-Origin': '*'
		}),
		''
	].join('\n');
}

/**
 * Whether `origin` ("https://a.example:8443") is one of `sources`, matched as CSP matches host
 * sources: same scheme, the host itself or (for "*.host") any subdomain of it, and the same port
 * (the scheme's default when none is given, or any for ":*").
 * @param {string} origin
 * @param {readonly string[]} sources
 */
export function originMatches(origin, sources) {
	/** @type {URL} */
	let url;
	try {
		url = new URL(origin);
	} catch {
		return false;
	}
	if (url.origin !== origin) return false; // a path, a user name or an opaque "null"
	const port = url.port || (url.protocol === 'https:' ? '443' : '80');
	return sources.some((source) => {
		const match = SOURCE.exec(source);
		if (!match || `${match[1]}:` !== url.protocol) return false;
		const [, scheme, wildcard, host, sourcePort] = match;
		const hostMatches = wildcard ? url.hostname.endsWith(`.${host}`) : url.hostname === host;
		const expectedPort = sourcePort ?? (scheme === 'https' ? '443' : '80');
		return hostMatches && (expectedPort === '*' || expectedPort === port);
	});
}

/**
 * Whether the widget answers a message from `origin`: its own origin always, any origin in
 * open mode, else the allow-list.
 * @param {string} origin
 * @param {SecurityConfig} config
 * @param {string} ownOrigin
 */
export function widgetOriginAllowed(origin, config, ownOrigin) {
	if (origin === ownOrigin) return true;
	if (config.widgetOrigins === '*') return origin !== 'null' && /^https?:\/\//.test(origin);
	return originMatches(origin, config.widgetOrigins);
}
