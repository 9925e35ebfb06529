import { describe, expect, it } from 'vitest';
import {
	headersFile,
	originMatches,
	readSecurityConfig,
	securityHeaders,
	widgetOriginAllowed,
	type SecurityConfig
} from './security-headers.js';

const CONFIG: SecurityConfig = readSecurityConfig({
	HEARTH_WIDGET_ORIGINS: 'https://news.example, https://*.blog.example http://127.0.0.1:*',
	HEARTH_MODEL_HOSTS: 'https://models.example'
});

/** The directives of one policy, by name. */
function directives(policy: string): Map<string, string[]> {
	return new Map(
		policy
			.split(';')
			.map((part) => part.trim().split(/\s+/))
			.filter((words) => words[0])
			.map(([name, ...values]) => [name!, values])
	);
}

interface Rule {
	pattern: string;
	headers: [string, string][];
}

function parseHeadersFile(text: string): Rule[] {
	const rules: Rule[] = [];
	for (const line of text.split('\n')) {
		if (line.startsWith('#') || line.trim() === '') continue;
		if (!line.startsWith(' ')) rules.push({ pattern: line.trim(), headers: [] });
		else {
			const colon = line.indexOf(':');
			rules.at(-1)!.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
		}
	}
	return rules;
}

const matches = (pattern: string, path: string) =>
	pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;

/** Netlify: for each header, the last matching rule's value. */
function netlify(rules: Rule[], path: string): Record<string, string[]> {
	const result: Record<string, string[]> = {};
	for (const rule of rules.filter((r) => matches(r.pattern, path))) {
		for (const [name, value] of rule.headers) result[name] = [value];
	}
	return result;
}

/** Cloudflare Pages: every matching rule's value, joined (a CSP list is several policies). */
function cloudflare(rules: Rule[], path: string): Record<string, string[]> {
	const result: Record<string, string[]> = {};
	for (const rule of rules.filter((r) => matches(r.pattern, path))) {
		for (const [name, value] of rule.headers) (result[name] ??= []).push(value);
	}
	return result;
}

describe('readSecurityConfig', () => {
	it('reads, normalises and deduplicates the lists', () => {
		expect(
			readSecurityConfig({
				HEARTH_WIDGET_ORIGINS: ' HTTPS://A.example/ https://a.example ',
				HEARTH_MODEL_HOSTS: ''
			})
		).toEqual({ widgetOrigins: ['https://a.example'], modelHosts: [] });
		expect(readSecurityConfig({ HEARTH_WIDGET_ORIGINS: '*' }).widgetOrigins).toBe('*');
		expect(readSecurityConfig({})).toEqual({ widgetOrigins: [], modelHosts: [] });
	});

	it('refuses entries that are not origins, naming the setting', () => {
		expect(() => readSecurityConfig({ HEARTH_WIDGET_ORIGINS: 'https://a.example/path' })).toThrow(
			/HEARTH_WIDGET_ORIGINS: "https:\/\/a.example\/path" is not an origin/
		);
		expect(() => readSecurityConfig({ HEARTH_MODEL_HOSTS: "'unsafe-inline'" })).toThrow(
			/HEARTH_MODEL_HOSTS/
		);
		expect(() => readSecurityConfig({ HEARTH_WIDGET_ORIGINS: 'ftp://a.example' })).toThrow();
	});
});

describe('securityHeaders', () => {
	it('gives every page a policy that allows no other origin but the model hosts', () => {
		const headers = securityHeaders('/models', CONFIG);
		expect(headers['Cross-Origin-Opener-Policy']).toBe('same-origin');
		expect(headers['Cross-Origin-Embedder-Policy']).toBe('require-corp');
		expect(headers['X-Frame-Options']).toBe('SAMEORIGIN');
		const policy = directives(headers['Content-Security-Policy']!);
		expect(policy.get('default-src')).toEqual(["'self'"]);
		expect(policy.get('connect-src')).toEqual(["'self'", 'https://models.example']);
		expect(policy.get('script-src')).toContain("'wasm-unsafe-eval'");
		expect(policy.get('object-src')).toEqual(["'none'"]);
		expect(policy.has('frame-ancestors')).toBe(false);
		for (const values of policy.values()) {
			for (const value of values) {
				expect(value === 'https://models.example' || !value.includes('://')).toBe(true);
			}
		}
	});

	it('lets the allow-list frame the widget, under the base path too', () => {
		for (const path of ['/hearth/widget', '/hearth/widget.html']) {
			const headers = securityHeaders(path, CONFIG, '/hearth');
			expect(directives(headers['Content-Security-Policy']!).get('frame-ancestors')).toEqual([
				"'self'",
				'https://news.example',
				'https://*.blog.example',
				'http://127.0.0.1:*'
			]);
			expect(headers['Cross-Origin-Resource-Policy']).toBe('cross-origin');
		}
		expect(securityHeaders('/widget', CONFIG, '/hearth')['Cross-Origin-Resource-Policy']).toBe(
			undefined
		);
		const open = securityHeaders('/widget', readSecurityConfig({ HEARTH_WIDGET_ORIGINS: '*' }));
		expect(directives(open['Content-Security-Policy']!).get('frame-ancestors')).toEqual(['*']);
	});

	it('lets other origins load the client from /embed/', () => {
		const headers = securityHeaders('/embed/hearth-client.js', CONFIG);
		expect(headers['Access-Control-Allow-Origin']).toBe('*');
		expect(headers['Cross-Origin-Resource-Policy']).toBe('cross-origin');
	});
});

describe('headersFile', () => {
	const rules = parseHeadersFile(headersFile(CONFIG, '/hearth'));
	const paths = [
		'/hearth/',
		'/hearth/models',
		'/hearth/docs',
		'/hearth/_app/immutable/start.js',
		'/hearth/widget',
		'/hearth/widget.html',
		'/hearth/embed/hearth-client.js'
	];

	for (const [host, merge] of [
		['Netlify', netlify],
		['Cloudflare Pages', cloudflare]
	] as const) {
		it(`gives each path what securityHeaders gives it on ${host}`, () => {
			for (const path of paths) {
				const served = merge(rules, path);
				const wanted = securityHeaders(path, CONFIG, '/hearth');
				expect(Object.keys(served).sort(), path).toEqual(Object.keys(wanted).sort());
				for (const [name, value] of Object.entries(wanted)) {
					const values = served[name]!;
					if (name !== 'Content-Security-Policy') {
						expect(values, `${path} ${name}`).toEqual([value]);
						continue;
					}
					// Several policies are all enforced: together they must allow what the one wanted
					// policy allows and no more. Each served policy must be the site's or the wanted one.
					expect(values, path).toContain(value);
					const site = securityHeaders('/hearth/models', CONFIG, '/hearth')[name];
					for (const policy of values) expect([value, site], path).toContain(policy);
				}
			}
		});
	}
});

describe('origin checks', () => {
	it('matches origins as CSP host sources do', () => {
		const sources = ['https://news.example', 'https://*.blog.example', 'http://127.0.0.1:*'];
		expect(originMatches('https://news.example', sources)).toBe(true);
		// Browsers serialise origins without the default port; anything else is not an origin.
		expect(originMatches('https://news.example:443', sources)).toBe(false);
		expect(originMatches('https://news.example:8443', sources)).toBe(false);
		expect(originMatches('http://news.example', sources)).toBe(false);
		expect(originMatches('https://evil-news.example', sources)).toBe(false);
		expect(originMatches('https://a.blog.example', sources)).toBe(true);
		expect(originMatches('https://blog.example', sources)).toBe(false);
		expect(originMatches('https://a.blog.example.evil', sources)).toBe(false);
		expect(originMatches('http://127.0.0.1:5173', sources)).toBe(true);
		expect(originMatches('http://127.0.0.2:5173', sources)).toBe(false);
		expect(originMatches('null', sources)).toBe(false);
		expect(originMatches('https://news.example/path', sources)).toBe(false);
	});

	it('answers its own origin, the allow-list, or any web origin in open mode', () => {
		const own = 'https://hearth.example';
		expect(widgetOriginAllowed(own, CONFIG, own)).toBe(true);
		expect(widgetOriginAllowed('https://news.example', CONFIG, own)).toBe(true);
		expect(widgetOriginAllowed('https://other.example', CONFIG, own)).toBe(false);
		const open = readSecurityConfig({ HEARTH_WIDGET_ORIGINS: '*' });
		expect(widgetOriginAllowed('https://other.example', open, own)).toBe(true);
		expect(widgetOriginAllowed('null', open, own)).toBe(false);
		const closed = readSecurityConfig({});
		expect(widgetOriginAllowed('https://news.example', closed, own)).toBe(false);
	});
});
